import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { deleteTeam, updateTeam } from "@/lib/server/teams/manage-teams";
import { getTeamDetail } from "@/lib/server/teams/read-teams";

export const GET = route(endpoints.getTeam, async ({ params }) => ({ status: 200, body: await getTeamDetail(getWebContext().db, params.id) }));

export const PATCH = route(endpoints.updateTeam, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateTeam(getWebContext().db, principal, params.id, body),
}));

export const DELETE = route(endpoints.deleteTeam, async ({ principal, params }) => {
  await deleteTeam(getWebContext().db, principal, params.id);
  return { status: 204, body: undefined };
});
