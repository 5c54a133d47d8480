import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { holdForJob } from "@/lib/server/accounting/ledger";
import { periodOf } from "@/lib/server/accounting/rates";
import { seedUser } from "../support/db";

/**
 * The account lock and the hold at the heart of every submission, against
 * Postgres. Each case runs in a transaction that is rolled back, so the
 * shared database's ledger invariants never see the hand-made balances.
 */
const db = createDb(inject("databaseUrl"), { max: 2 });

class Rollback extends Error {}

async function inRolledBackTransaction(work: (tx: Prisma.TransactionClient) => Promise<void>) {
  await expect(
    db.$transaction(async (tx) => {
      await work(tx);
      throw new Rollback("roll back");
    }),
  ).rejects.toBeInstanceOf(Rollback);
}

afterAll(async () => {
  await db.$disconnect();
});

describe("usage account", () => {
  it("is created on first use with the plan's allowance for this month", async () => {
    const user = await seedUser(db);
    const { fastMsPerMonth } = await db.plan.findFirstOrThrow({ where: { users: { some: { id: user.id } } }, select: { fastMsPerMonth: true } });
    const now = new Date();
    await inRolledBackTransaction(async (tx) => {
      const account = await lockUsageAccount(tx, user.id, now);
      expect(account).toMatchObject({ userId: user.id, periodStart: periodOf(now).start, periodEnd: periodOf(now).end, allowanceMs: fastMsPerMonth, heldMs: 0n, usedMs: 0n });
      expect(typeof account.heldMs).toBe("bigint");
      // Locking again in the same transaction finds the same row.
      expect(await lockUsageAccount(tx, user.id, now)).toEqual(account);
    });
  });

  it("rolls into a new month: grants, use and Relax time reset, holds of unfinished jobs carry over, allowance from the plan as it is now", async () => {
    const user = await seedUser(db);
    const now = new Date();
    const nextMonth = new Date(periodOf(now).end.getTime() + 60_000);
    await inRolledBackTransaction(async (tx) => {
      await lockUsageAccount(tx, user.id, now);
      await tx.usageAccount.update({ where: { userId: user.id }, data: { grantedMs: 5n, usedMs: 7n, heldMs: 11n, relaxMs: 13n } });
      await tx.plan.updateMany({ where: { users: { some: { id: user.id } } }, data: { fastMsPerMonth: 42n } });
      const rolled = await lockUsageAccount(tx, user.id, nextMonth);
      expect(rolled).toMatchObject({ periodStart: periodOf(nextMonth).start, allowanceMs: 42n, grantedMs: 0n, usedMs: 0n, relaxMs: 0n, heldMs: 11n });
    });
  });

  it("holds only what is available, all or nothing", async () => {
    const user = await seedUser(db);
    await inRolledBackTransaction(async (tx) => {
      const account = await lockUsageAccount(tx, user.id);
      const jobs = await Promise.all(
        [0, 1].map(() =>
          tx.job.create({
            data: { userId: user.id, type: "imagine", mode: "fast", prompt: "p", recipe: {}, params: {}, modelId: "m" },
            select: { id: true },
          }),
        ),
      );
      const available = Number(availableMs(account));
      expect(await holdForJob(tx, { userId: user.id, jobId: jobs[0]!.id, estimateMs: available + 1, mode: "fast" })).toBe(false);
      expect(await tx.ledgerEntry.count({ where: { userId: user.id } })).toBe(0);
      expect(await holdForJob(tx, { userId: user.id, jobId: jobs[0]!.id, estimateMs: available - 10, mode: "fast" })).toBe(true);
      // Turbo costs twice: 10 ms left does not cover 2 × 6.
      expect(await holdForJob(tx, { userId: user.id, jobId: jobs[1]!.id, estimateMs: 6, mode: "turbo" })).toBe(false);
      expect(await holdForJob(tx, { userId: user.id, jobId: jobs[1]!.id, estimateMs: 5, mode: "turbo" })).toBe(true);
      const after = await tx.usageAccount.findUniqueOrThrow({ where: { userId: user.id } });
      expect(availableMs(after)).toBe(0n);
      expect((await tx.ledgerEntry.findMany({ where: { userId: user.id }, select: { amountMs: true } })).map((entry) => entry.amountMs).sort()).toEqual([10n, BigInt(available - 10)].sort());
    });
  });

  it("refuses a user that does not exist", async () => {
    await expect(db.$transaction((tx) => lockUsageAccount(tx, "no-such-user"))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
