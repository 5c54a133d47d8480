import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { AppError } from "@/lib/errors";
import { getUsage } from "@/lib/server/accounting/usage";
import { grantFastTime } from "@/lib/server/accounting/ledger";
import { MS_PER_HOUR } from "@/lib/server/accounting/rates";
import { recordAudit } from "@/lib/server/audit/record";
import { getWebContext } from "@/lib/server/context";

export const POST = route(endpoints.grantFastTime, async ({ principal, params: { id }, body: { hours, note } }) => {
  const { db } = getWebContext();
  if (!(await db.user.findUnique({ where: { id }, select: { id: true } }))) throw new AppError("NOT_FOUND", "No such user.");
  await db.$transaction(async (tx) => {
    await grantFastTime(tx, { userId: id, amountMs: BigInt(Math.round(hours * MS_PER_HOUR)), actorId: principal.userId, note });
    await recordAudit(tx, { kind: "user.fast_time_granted", actor: principal, subject: { id, isUser: true }, detail: { hours, ...(note && { note }) } });
  });
  return { status: 200, body: await getUsage(db, id) };
});
