import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { grantTeamHours } from "@/lib/server/teams/manage-teams";

export const POST = route(endpoints.grantTeamFastTime, async ({ principal, params, body }) => ({
  status: 200,
  body: await grantTeamHours(getWebContext().db, principal, params.id, body),
}));
