import type { Prisma, TeamPool } from "@/lib/generated/prisma/client";
import { periodOf } from "./rates";

type Tx = Prisma.TransactionClient;

/**
 * A team's fast-time pool (docs/teams.md): usage_account's shape and rules
 * for a team whose plan gives it fast time. Locks are always taken in one
 * order, the member's account first (lockUsageAccount, which also says
 * which pool applies) and then the team's pool, so a settlement and a
 * submission never deadlock, and the pool's lock serialises every member's
 * reservation against it.
 */

/**
 * Locks a team's pool, creating it from the team's plan or rolling it into
 * the current period first; null when the team is gone. One round trip when
 * the pool exists and is current.
 */
export async function lockTeamPool(tx: Tx, teamId: string, now = new Date()): Promise<TeamPool | null> {
  const lock = () => tx.$queryRaw<TeamPool[]>`SELECT * FROM "team_pool" WHERE "teamId" = ${teamId} FOR UPDATE`;
  let [pool] = await lock();
  const period = periodOf(now);
  if (!pool) {
    // The team's first reservation (ON CONFLICT: two members' first submissions at once).
    await tx.$executeRaw`
      INSERT INTO "team_pool" ("teamId", "periodStart", "periodEnd", "allowanceMs", "updatedAt")
      SELECT t.id, ${period.start}, ${period.end}, COALESCE(p."fastMsPerMonth", 0), now()
        FROM "team" t LEFT JOIN "plan" p ON p.id = t."planId" WHERE t.id = ${teamId}
      ON CONFLICT ("teamId") DO NOTHING`;
    [pool] = await lock();
  }
  if (!pool) return null;
  if (pool.periodEnd > now) return pool;
  // A new month: as for a user, unused time does not roll over; holds of jobs in flight do.
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { plan: { select: { fastMsPerMonth: true } } } });
  return tx.teamPool.update({
    where: { teamId },
    data: { periodStart: period.start, periodEnd: period.end, allowanceMs: team?.plan?.fastMsPerMonth ?? 0n, grantedMs: 0n, usedMs: 0n },
  });
}
