import type { Prisma } from "@/lib/generated/prisma/client";
import { periodOf } from "./rates";

type Tx = Prisma.TransactionClient;

/**
 * Locks the user's usage account for this transaction (creating it, or
 * rolling it into a new monthly period, first). Every change to a user's
 * balance goes through this lock, so concurrent submissions and settlements
 * for one user are serialised while different users never wait on each other.
 */
export async function lockUsageAccount(tx: Tx, userId: string, now = new Date()) {
  const period = periodOf(now);
  const plan = await tx.user.findUnique({ where: { id: userId }, select: { plan: { select: { fastMsPerMonth: true } } } });
  const allowanceMs = plan?.plan?.fastMsPerMonth ?? 0n;
  // INSERT … ON CONFLICT, not Prisma's upsert (a read then a write), so two
  // first submissions of a new user cannot both try to create the row.
  await tx.$executeRaw`
    INSERT INTO "usage_account" ("userId", "periodStart", "periodEnd", "allowanceMs", "updatedAt")
    VALUES (${userId}, ${period.start}, ${period.end}, ${allowanceMs}, now())
    ON CONFLICT ("userId") DO NOTHING`;
  const [account] = await tx.$queryRaw<Array<{ periodEnd: Date }>>`
    SELECT "periodEnd" FROM "usage_account" WHERE "userId" = ${userId} FOR UPDATE`;
  if (account && account.periodEnd <= now) {
    // A new month: unused time does not roll over; holds of jobs still in flight do.
    await tx.usageAccount.update({
      where: { userId },
      data: { periodStart: period.start, periodEnd: period.end, allowanceMs, grantedMs: 0n, usedMs: 0n, relaxMs: 0n },
    });
  }
  return tx.usageAccount.findUniqueOrThrow({ where: { userId } });
}

export function availableMs(account: { allowanceMs: bigint; grantedMs: bigint; heldMs: bigint; usedMs: bigint }): bigint {
  return account.allowanceMs + account.grantedMs - account.heldMs - account.usedMs;
}
