import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { updateTeamPolicy } from "@/lib/server/moderation/team-policy";
import { getTeamDetail } from "@/lib/server/teams/read-teams";

export const PATCH = route(endpoints.updateTeamPolicy, async ({ principal, params, body }) => {
  const { db } = getWebContext();
  await updateTeamPolicy(db, principal, params.id, body.terms);
  return { status: 200, body: await getTeamDetail(db, params.id) };
});
