import { apiRoute, readJson } from "@/lib/api/route";
import { ZCreateTokenRequest } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { createApiToken, listApiTokens } from "@/lib/server/tokens";

// GET /api/v1/tokens – the caller's active API tokens
export const GET = apiRoute("user", async ({ principal }) =>
  Response.json({ tokens: await listApiTokens(getWebContext().db, principal.userId) }),
);

// POST /api/v1/tokens – create a token (secret returned once)
export const POST = apiRoute("user", async ({ req, principal }) => {
  const { name } = await readJson(req, ZCreateTokenRequest);
  return Response.json(await createApiToken(getWebContext().db, principal.userId, name), { status: 201 });
});
