import type { Db } from "@/lib/db/client";
import type { Principal } from "@/lib/server/principal";
import { recordAudit } from "./record";

interface UserState {
  id: string;
  email: string;
  role: string;
  plan: string | null;
  disabled: boolean;
}

/** One audit event per thing an admin changed on an account: role, plan, disabled or enabled. */
export async function auditUserUpdate(db: Db, actor: Pick<Principal, "userId"> & { email?: string }, before: UserState, after: UserState): Promise<void> {
  const common = { actor, subject: { id: before.id, label: before.email } };
  if (before.role !== after.role) await recordAudit(db, { ...common, kind: "user.role_changed", detail: { from: before.role, to: after.role } });
  if (before.plan !== after.plan) await recordAudit(db, { ...common, kind: "user.plan_changed", detail: { from: before.plan, to: after.plan } });
  if (before.disabled !== after.disabled) await recordAudit(db, { ...common, kind: after.disabled ? "user.disabled" : "user.enabled" });
}
