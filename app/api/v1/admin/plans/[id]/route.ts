import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { recordAudit } from "@/lib/server/audit/record";
import { getWebContext } from "@/lib/server/context";
import { updatePlan } from "@/lib/server/plans-admin";

export const PATCH = route(endpoints.updatePlan, async ({ principal, params, body }) => {
  const { db } = getWebContext();
  const plan = await updatePlan(db, params.id, body);
  await recordAudit(db, { kind: "plan.changed", actor: principal, subject: { id: plan.id, label: plan.name }, detail: { changes: body } });
  return { status: 200, body: plan };
});
