import { AppError } from "@/lib/errors";
import type { Prisma, UsageAccount } from "@/lib/generated/prisma/client";
import { periodOf } from "./rates";

type Tx = Prisma.TransactionClient;

/**
 * A locked account, with the two facts about team pools (docs/teams.md) that
 * its lock statement reads on the way, so a user in no team pays no extra
 * round trip for teams existing: the pool the user's submissions draw from
 * first (their team's, when the team has a plan), and, when asked about a
 * job, the pool that job's hold came from.
 */
export type LockedAccount = UsageAccount & { poolTeamId: string | null; holdTeamId: string | null };

/**
 * Locks the user's usage account for this transaction (creating it, or
 * rolling it into a new monthly period, first). Every change to a user's
 * balance goes through this lock, so concurrent submissions and settlements
 * for one user are serialised while different users never wait on each other.
 * One round trip in the common case (the account exists): it runs inside
 * every submission's and settlement's transaction, where each extra round
 * trip holds the lock longer.
 */
export async function lockUsageAccount(tx: Tx, userId: string, now = new Date(), options: { jobId?: string } = {}): Promise<LockedAccount> {
  const lock = () => tx.$queryRaw<LockedAccount[]>`
    SELECT a.*,
           (SELECT t.id FROM "team_member" m JOIN "team" t ON t.id = m."teamId" WHERE m."userId" = a."userId" AND t."planId" IS NOT NULL) AS "poolTeamId",
           (SELECT h."teamId" FROM "ledger_entry" h WHERE h."jobId" = ${options.jobId ?? null} AND h.kind = 'hold') AS "holdTeamId"
      FROM "usage_account" a WHERE a."userId" = ${userId} FOR UPDATE OF a`;
  let [account] = await lock();
  const period = periodOf(now);
  if (!account) {
    // INSERT … SELECT … ON CONFLICT, not Prisma's upsert (a read then a write), so
    // two first submissions of a new user cannot both try to create the row; the
    // allowance comes from the user's plan in the same statement.
    await tx.$executeRaw`
      INSERT INTO "usage_account" ("userId", "periodStart", "periodEnd", "allowanceMs", "updatedAt")
      SELECT u.id, ${period.start}, ${period.end}, COALESCE(p."fastMsPerMonth", 0), now()
        FROM "user" u LEFT JOIN "plan" p ON p.id = u."planId"
       WHERE u.id = ${userId}
      ON CONFLICT ("userId") DO NOTHING`;
    [account] = await lock();
  }
  if (!account) throw new AppError("NOT_FOUND", "This account no longer exists.");
  if (account.periodEnd > now) return account;
  // A new month: unused time does not roll over; holds of jobs still in flight do.
  const plan = await tx.user.findUnique({ where: { id: userId }, select: { plan: { select: { fastMsPerMonth: true } } } });
  const rolled = await tx.usageAccount.update({
    where: { userId },
    data: { periodStart: period.start, periodEnd: period.end, allowanceMs: plan?.plan?.fastMsPerMonth ?? 0n, grantedMs: 0n, usedMs: 0n, relaxMs: 0n },
  });
  return { ...rolled, poolTeamId: account.poolTeamId, holdTeamId: account.holdTeamId };
}

export function availableMs(account: { allowanceMs: bigint; grantedMs: bigint; heldMs: bigint; usedMs: bigint }): bigint {
  return account.allowanceMs + account.grantedMs - account.heldMs - account.usedMs;
}
