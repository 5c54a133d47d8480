import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createRedis } from "@/lib/redis";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { completeJob, failJob, startJob } from "@/lib/server/jobs/lifecycle";
import type { Principal } from "@/lib/server/principal";
import { seedUser, testDb } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext } from "../support/worker-process";

/**
 * How many statements Postgres receives for one job, so the studio's own
 * overhead (issue 20, bench/e2e) cannot silently grow back: every round trip
 * on the accept path and on the worker's holds a lock or a pooled connection
 * a little longer and adds to submit → completed. Counted below the Prisma
 * client, at the driver (BEGIN and COMMIT included), with the real use cases.
 */
const statements: string[] = [];

/** A node-postgres client that records every statement it sends. */
class CountingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [first] = args;
    statements.push(typeof first === "string" ? first : String((first as { text?: string }).text ?? ""));
    return (super.query as (...rest: unknown[]) => never)(...args);
  }
}

const pool = new pg.Pool({ connectionString: inject("databaseUrl"), max: 4, Client: CountingClient });
const db = new PrismaClient({ adapter: new PrismaPg(pool) });
const setupDb = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const context = createTestJobContext(db, redis, `${inject("redisPrefix")}-round-trips`);

async function counted<T>(work: () => Promise<T>): Promise<{ value: T; sql: string[] }> {
  statements.length = 0;
  const value = await work();
  return { value, sql: [...statements] };
}

afterAll(async () => {
  await expectLedgerInvariants(setupDb);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await setupDb.$disconnect();
});

describe("database round trips per job", () => {
  it("accepts an imagine job in a transaction of six statements and completes it in six, settled exactly once and only with its files", async () => {
    const user = await seedUser(setupDb);
    const principal: Principal = { userId: user.id, email: user.email, role: "user", via: "token" };
    // The first submission creates the usage account; the one measured below finds it.
    await createImagineJobs(context, principal, { prompt: "a warm-up cup --seed 1" });

    const accepted = await counted(() => createImagineJobs(context, principal, { prompt: "a red cup --seed 2" }));
    const transaction = accepted.sql.slice(accepted.sql.indexOf("BEGIN"), accepted.sql.indexOf("COMMIT") + 1);
    // BEGIN, account lock, submitter + plan + jobs in progress, the job rows, the holds with their ledger rows, COMMIT.
    expect(transaction, transaction.join("\n---\n")).toHaveLength(6);
    // Outside it: the plan limits (1), the estimate (2 while nothing of its key has completed, else 1),
    // the personalization profile and setting (2) and the prompt policy (1), each its own module's.
    expect(accepted.sql.length, accepted.sql.join("\n---\n")).toBeLessThanOrEqual(12);
    const jobId = accepted.value.id;
    const hold = await setupDb.ledgerEntry.findUniqueOrThrow({ where: { jobId_kind: { jobId, kind: "hold" } }, select: { amountMs: true } });
    const { estimateMs } = await setupDb.job.findUniqueOrThrow({ where: { id: jobId }, select: { estimateMs: true } });
    expect(hold.amountMs).toBe(BigInt(estimateMs));

    const started = await counted(() => startJob(db, jobId, "round-trips"));
    expect(started.value).toMatchObject({ userId: user.id, mode: "fast", attempts: 1 });
    expect(started.sql).toHaveLength(1);

    const images = [0, 1, 2, 3].map((index) => ({
      jobId,
      userId: user.id,
      index,
      seed: BigInt(2 + index),
      width: 64,
      height: 64,
      storageKey: `${user.id}/${jobId}/${index}`,
      recipe: { seed: 2 + index },
    }));
    const completed = await counted(() =>
      completeJob(db, { id: jobId, userId: user.id, mode: "fast" }, { gpuMs: 120, wallMs: 150, images, attempt: { attempt: 1, workerId: "round-trips", wallMs: 160 } }),
    );
    expect(completed.value).toBe(true);
    // BEGIN, status change, account lock, settle, charge + images + usage row, COMMIT.
    expect(completed.sql, completed.sql.join("\n---\n")).toHaveLength(6);

    const row = await setupDb.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { status: true, chargedMs: true, gpuMs: true, images: { select: { index: true, seed: true } }, usage: { select: { attempt: true, gpuMs: true, outcome: true } } },
    });
    expect(row).toMatchObject({ status: "completed", chargedMs: 120, gpuMs: 120, usage: [{ attempt: 1, gpuMs: 120, outcome: "completed" }] });
    expect(row.images.map((image) => image.seed).sort()).toEqual([2n, 3n, 4n, 5n]);
    const account = await setupDb.usageAccount.findUniqueOrThrow({ where: { userId: user.id }, select: { usedMs: true, heldMs: true } });
    expect(account.usedMs).toBe(120n);
    // Only the warm-up job is still held.
    const warmUpHold = await setupDb.ledgerEntry.aggregate({ where: { userId: user.id, kind: "hold", NOT: { jobId } }, _sum: { amountMs: true } });
    expect(account.heldMs).toBe(warmUpHold._sum.amountMs);

    // Files that fail to be written roll the completion back: no image rows without their files.
    const { id: other } = await createImagineJobs(context, principal, { prompt: "a blue cup --seed 3" });
    await startJob(db, other, "round-trips");
    const otherImages = images.map((image) => ({ ...image, jobId: other, storageKey: `${user.id}/${other}/${image.index}` }));
    await expect(
      completeJob(db, { id: other, userId: user.id, mode: "fast" }, { gpuMs: 50, wallMs: 60, images: otherImages, filesWritten: Promise.reject(new Error("disk full")) }),
    ).rejects.toThrow("disk full");
    expect(await setupDb.job.findUniqueOrThrow({ where: { id: other }, select: { status: true, chargedMs: true, _count: { select: { images: true } } } })).toMatchObject({
      status: "running",
      chargedMs: null,
      _count: { images: 0 },
    });
    expect(await setupDb.ledgerEntry.count({ where: { jobId: other, kind: "settle" } })).toBe(0);
    // As the worker does when the attempt was its last: the hold goes back.
    expect(await failJob(db, { id: other, userId: user.id }, { message: "disk full", note: "failed", from: "running" })).toBe(true);

    // A second delivery of the completion changes nothing and is not charged again.
    expect(await completeJob(db, { id: jobId, userId: user.id, mode: "fast" }, { gpuMs: 999, wallMs: 1, images })).toBe(false);
    expect(await setupDb.ledgerEntry.count({ where: { jobId, kind: "settle" } })).toBe(1);
  });
});
