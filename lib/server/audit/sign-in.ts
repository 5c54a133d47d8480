import type { Db } from "@/lib/db/client";
import { recordAudit } from "./record";

/**
 * Records an email sign-in attempt from what the auth route saw: the email
 * asked for and better-auth's answer (or the limiter's 429). A success names
 * the user; a failure keeps the email as typed (it may match no account)
 * and the status, never the password.
 */
export async function auditEmailSignIn(db: Db, input: { email: string; address: string | null; response: Response }): Promise<void> {
  if (input.response.ok) {
    const body: unknown = await input.response.clone().json().catch(() => null);
    const user = typeof body === "object" && body !== null && "user" in body ? (body.user as { id?: unknown; email?: unknown }) : null;
    if (typeof user?.id !== "string") return;
    await recordAudit(db, {
      kind: "auth.sign_in",
      actor: { userId: user.id, ...(typeof user.email === "string" && { email: user.email }) },
      address: input.address,
      detail: { method: "email" },
    });
    return;
  }
  const reason = input.response.status === 429 ? "rate_limited" : input.response.status === 403 ? "forbidden" : "invalid_credentials";
  await recordAudit(db, {
    kind: "auth.sign_in_failed",
    subject: { id: input.email.trim().toLowerCase().slice(0, 200), label: input.email.trim().toLowerCase().slice(0, 200) },
    address: input.address,
    detail: { method: "email", status: input.response.status, reason },
  });
}
