import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { recordAudit } from "@/lib/server/audit/record";
import { getWebContext } from "@/lib/server/context";
import { assertCanManageTokens, revokeApiToken } from "@/lib/server/tokens";

export const DELETE = route(endpoints.revokeToken, async ({ principal, params }) => {
  assertCanManageTokens(principal);
  await revokeApiToken(getWebContext().db, principal.userId, params.id);
  await recordAudit(getWebContext().db, { kind: "token.revoked", actor: principal, subject: { id: params.id } });
  return { status: 204, body: undefined };
});
