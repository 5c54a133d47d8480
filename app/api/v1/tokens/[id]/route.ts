import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { revokeApiToken } from "@/lib/server/tokens";

// DELETE /api/v1/tokens/:id – revoke one of the caller's tokens
export const DELETE = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  await revokeApiToken(getWebContext().db, principal.userId, id);
  return new Response(null, { status: 204 });
});
