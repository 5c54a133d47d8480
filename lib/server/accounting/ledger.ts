import type { Prisma } from "@/lib/generated/prisma/client";
import { lockUsageAccount, availableMs } from "./account";
import { chargeFor, MODE_MULTIPLIER, type TMode } from "./rates";

type Tx = Prisma.TransactionClient;

/**
 * The three ledger moves of a job, each idempotent through the unique
 * (jobId, kind) key: a retry or a duplicate delivery finds the row already
 * there and changes nothing. Each runs inside the caller's transaction, with
 * the user's account locked, so the account columns move with the ledger.
 */

/**
 * Reserves a job's estimated cost; false when the user lacks the fast time
 * (nothing written). The caller has locked the account (lockUsageAccount) in
 * this transaction, so it exists and is in the current period; the reserve
 * itself is one conditional UPDATE, so it can never overdraw even unlocked.
 */
export async function holdForJob(tx: Tx, input: { userId: string; jobId: string; estimateMs: number; mode: TMode }): Promise<boolean> {
  const amount = BigInt(Math.round(input.estimateMs * MODE_MULTIPLIER[input.mode]));
  if (amount === 0n) return true;
  const [held] = await tx.$queryRaw<Array<{ periodStart: Date }>>`
    UPDATE "usage_account" SET "heldMs" = "heldMs" + ${amount}, "updatedAt" = now()
     WHERE "userId" = ${input.userId} AND "allowanceMs" + "grantedMs" - "heldMs" - "usedMs" >= ${amount}
    RETURNING "periodStart"`;
  if (!held) return false;
  await tx.ledgerEntry.create({
    data: { userId: input.userId, jobId: input.jobId, kind: "hold", amountMs: amount, multiplier: MODE_MULTIPLIER[input.mode], periodStart: held.periodStart },
  });
  return true;
}

async function heldFor(tx: Tx, jobId: string): Promise<bigint> {
  const hold = await tx.ledgerEntry.findUnique({ where: { jobId_kind: { jobId, kind: "hold" } }, select: { amountMs: true } });
  return hold?.amountMs ?? 0n;
}

/**
 * Settles a finished job at its measured cost: the hold is returned and the
 * charge (capped at what the user can pay, so nobody goes negative) is used.
 * Returns the charge, or null when the job was already settled.
 */
export async function settleJob(tx: Tx, input: { userId: string; jobId: string; gpuMs: number; mode: TMode }): Promise<number | null> {
  const account = await lockUsageAccount(tx, input.userId);
  // A released job (cancelled or failed) is never charged afterwards.
  const released = await tx.ledgerEntry.findUnique({ where: { jobId_kind: { jobId: input.jobId, kind: "release" } }, select: { id: true } });
  if (released) return null;
  const held = await heldFor(tx, input.jobId);
  const payable = availableMs(account) + held;
  const charge = BigInt(Math.min(chargeFor(input.gpuMs, input.mode), Number(payable)));
  const inserted = await tx.ledgerEntry.createMany({
    data: [{ userId: input.userId, jobId: input.jobId, kind: "settle", amountMs: charge, multiplier: MODE_MULTIPLIER[input.mode], periodStart: account.periodStart }],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return null;
  await tx.usageAccount.update({
    where: { userId: input.userId },
    data: {
      heldMs: { decrement: held },
      usedMs: { increment: charge },
      ...(input.mode === "relax" ? { relaxMs: { increment: BigInt(Math.round(input.gpuMs)) } } : {}),
    },
  });
  return Number(charge);
}

/** Returns a job's hold when it ends without a result (failed or cancelled). */
export async function releaseJob(tx: Tx, input: { userId: string; jobId: string; note: string }): Promise<void> {
  const account = await lockUsageAccount(tx, input.userId);
  const held = await heldFor(tx, input.jobId);
  const settled = await tx.ledgerEntry.findUnique({ where: { jobId_kind: { jobId: input.jobId, kind: "settle" } }, select: { id: true } });
  if (settled) return;
  const inserted = await tx.ledgerEntry.createMany({
    data: [{ userId: input.userId, jobId: input.jobId, kind: "release", amountMs: held, periodStart: account.periodStart, note: input.note }],
    skipDuplicates: true,
  });
  if (inserted.count === 1 && held > 0n) {
    await tx.usageAccount.update({ where: { userId: input.userId }, data: { heldMs: { decrement: held } } });
  }
}

/** An admin's grant of extra fast time for the current period. */
export async function grantFastTime(tx: Tx, input: { userId: string; amountMs: bigint; actorId: string; note?: string }): Promise<void> {
  const account = await lockUsageAccount(tx, input.userId);
  await tx.usageAccount.update({ where: { userId: input.userId }, data: { grantedMs: { increment: input.amountMs } } });
  await tx.ledgerEntry.create({
    data: { userId: input.userId, kind: "grant", amountMs: input.amountMs, periodStart: account.periodStart, actorId: input.actorId, note: input.note ?? null },
  });
}
