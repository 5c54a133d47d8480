import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { addTeamMember } from "@/lib/server/teams/members";

// Open to signed-in users by contract: addTeamMember lets in admins and the team's owners only.
export const POST = route(endpoints.addTeamMember, async ({ principal, params, body }) => ({
  status: 201,
  body: { members: await addTeamMember(getWebContext().db, principal, params.id, body) },
}));
