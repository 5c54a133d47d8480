import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { updateUser } from "@/lib/server/users";

export const PATCH = route(endpoints.updateUser, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateUser(getWebContext().db, { actorId: principal.userId, userId: params.id, ...body }),
}));
