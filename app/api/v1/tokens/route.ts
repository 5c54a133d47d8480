import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { recordAudit } from "@/lib/server/audit/record";
import { getWebContext } from "@/lib/server/context";
import { assertCanManageTokens, createApiToken, listApiTokens } from "@/lib/server/tokens";

export const GET = route(endpoints.listTokens, async ({ principal }) => ({ status: 200, body: { tokens: await listApiTokens(getWebContext().db, principal.userId) } }));

// The secret is returned once, in this answer.
export const POST = route(endpoints.createToken, async ({ principal, body }) => {
  assertCanManageTokens(principal);
  const { db } = getWebContext();
  const created = await createApiToken(db, principal.userId, body.name);
  await recordAudit(db, { kind: "token.created", actor: principal, subject: { id: created.id, label: created.name }, detail: { prefix: created.prefix } });
  return { status: 201, body: created };
});
