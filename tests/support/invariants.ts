import { expect } from "vitest";
import type { Db } from "@/lib/db/client";

/**
 * The accounting invariants, checked against Postgres: for every user the
 * account columns equal the ledger's sums, nobody is negative, no job is
 * settled twice or both settled and released, every completed job is
 * settled (and only completed jobs and jobs cancelled while running are),
 * and no job is left running. Team pools (ledger rows with teamId) are held
 * to the same rules against their own rows, never counted against the member.
 */
export async function expectLedgerInvariants(db: Db): Promise<void> {
  const mismatches = await db.$queryRaw<Array<{ userId: string; held: bigint; expected_held: bigint; used: bigint; expected_used: bigint }>>`
    SELECT a."userId", a."heldMs" AS held, a."usedMs" AS used,
      COALESCE((SELECT sum(h."amountMs") FROM ledger_entry h WHERE h."userId" = a."userId" AND h.kind = 'hold' AND h."teamId" IS NULL
        AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e."jobId" = h."jobId" AND e.kind IN ('settle', 'release'))), 0)::bigint AS expected_held,
      COALESCE((SELECT sum(s."amountMs") FROM ledger_entry s WHERE s."userId" = a."userId" AND s.kind = 'settle' AND s."teamId" IS NULL AND s."periodStart" = a."periodStart"), 0)::bigint AS expected_used
    FROM usage_account a`;
  expect(mismatches.filter((row) => row.held !== row.expected_held || row.used !== row.expected_used)).toEqual([]);
  const poolMismatches = await db.$queryRaw<Array<{ teamId: string; held: bigint; expected_held: bigint; used: bigint; expected_used: bigint; granted: bigint; expected_granted: bigint }>>`
    SELECT p."teamId", p."heldMs" AS held, p."usedMs" AS used, p."grantedMs" AS granted,
      COALESCE((SELECT sum(h."amountMs") FROM ledger_entry h WHERE h."teamId" = p."teamId" AND h.kind = 'hold'
        AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e."jobId" = h."jobId" AND e.kind IN ('settle', 'release'))), 0)::bigint AS expected_held,
      COALESCE((SELECT sum(s."amountMs") FROM ledger_entry s WHERE s."teamId" = p."teamId" AND s.kind = 'settle' AND s."periodStart" = p."periodStart"), 0)::bigint AS expected_used,
      COALESCE((SELECT sum(g."amountMs") FROM ledger_entry g WHERE g."teamId" = p."teamId" AND g.kind = 'grant' AND g."periodStart" = p."periodStart"), 0)::bigint AS expected_granted
    FROM team_pool p`;
  expect(poolMismatches.filter((row) => row.held !== row.expected_held || row.used !== row.expected_used || row.granted !== row.expected_granted)).toEqual([]);
  const poolNegative = await db.$queryRaw<Array<{ teamId: string }>>`
    SELECT "teamId" FROM team_pool WHERE "allowanceMs" + "grantedMs" - "heldMs" - "usedMs" < 0 OR "heldMs" < 0 OR "usedMs" < 0`;
  expect(poolNegative).toEqual([]);
  const negative = await db.$queryRaw<Array<{ userId: string }>>`
    SELECT "userId" FROM usage_account WHERE "allowanceMs" + "grantedMs" - "heldMs" - "usedMs" < 0 OR "heldMs" < 0 OR "usedMs" < 0`;
  expect(negative).toEqual([]);
  const both = await db.$queryRaw<Array<{ jobId: string }>>`
    SELECT "jobId" FROM ledger_entry WHERE kind IN ('settle', 'release') AND "jobId" IS NOT NULL GROUP BY "jobId" HAVING count(*) > 1`;
  expect(both).toEqual([]);
  const unsettled = await db.$queryRaw<Array<{ id: string }>>`
    SELECT j.id FROM job j WHERE j.status = 'completed' AND NOT EXISTS (SELECT 1 FROM ledger_entry s WHERE s."jobId" = j.id AND s.kind = 'settle')`;
  expect(unsettled).toEqual([]);
  const settledWrongly = await db.$queryRaw<Array<{ id: string }>>`
    SELECT j.id FROM job j JOIN ledger_entry s ON s."jobId" = j.id AND s.kind = 'settle' WHERE j.status NOT IN ('completed', 'cancelled')`;
  expect(settledWrongly).toEqual([]);
  expect(await db.job.count({ where: { status: "running" } })).toBe(0);
}
