import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { removeTeamMember, setTeamMemberRole } from "@/lib/server/teams/members";

// Open to signed-in users by contract: the server functions let in admins and the team's owners only.
export const PATCH = route(endpoints.updateTeamMember, async ({ principal, params, body }) => ({
  status: 200,
  body: { members: await setTeamMemberRole(getWebContext().db, principal, params.id, params.userId, body.role) },
}));

export const DELETE = route(endpoints.removeTeamMember, async ({ principal, params }) => {
  await removeTeamMember(getWebContext().db, principal, params.id, params.userId);
  return { status: 204, body: undefined };
});
