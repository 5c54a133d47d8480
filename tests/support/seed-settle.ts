import type { Db } from "@/lib/db/client";

/**
 * Settles rows a test inserted as finished jobs at zero cost, so the
 * accounting invariants (every completed job has exactly one settlement)
 * hold for the whole shared test database, whichever file runs next.
 */
export async function settleSeededJobs(db: Db, userId: string, jobIds: readonly string[]): Promise<void> {
  await db.ledgerEntry.createMany({
    data: jobIds.map((jobId) => ({ userId, jobId, kind: "settle" as const, amountMs: 0n, multiplier: 1, periodStart: new Date(Date.UTC(2026, 0, 1)) })),
  });
}
