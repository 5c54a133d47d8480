import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createTeam } from "@/lib/server/teams/manage-teams";
import { listTeams } from "@/lib/server/teams/read-teams";

export const GET = route(endpoints.listTeams, async () => ({ status: 200, body: { teams: await listTeams(getWebContext().db) } }));

export const POST = route(endpoints.createTeam, async ({ principal, body }) => ({ status: 201, body: await createTeam(getWebContext().db, principal, body) }));
