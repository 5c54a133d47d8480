import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZUpdateUserRequest } from "@/lib/schemas/admin";
import { getWebContext } from "@/lib/server/context";
import { updateUser } from "@/lib/server/users";

// PATCH /api/v1/admin/users/:id – change a user's role or plan (admin only)
export const PATCH = apiRoute<{ id: string }>("admin", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const changes = await readJson(req, ZUpdateUserRequest);
  return Response.json(await updateUser(getWebContext().db, { actorId: principal.userId, userId: id, ...changes }));
});
