import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import { ZGrantRequest } from "@/lib/schemas/usage";
import { setAutoRelax } from "@/lib/server/accounting/usage";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { createVaryJob } from "@/lib/server/jobs/derive-jobs";
import { cancelJobRow, completeJob, settleCancelledJob, startJob } from "@/lib/server/jobs/lifecycle";
import type { Principal } from "@/lib/server/principal";
import { createLogger } from "@/lib/log";
import { releaseUnsettledCancels } from "@/workers/abandoned-jobs";
import { seedUser, testDb } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext } from "../support/worker-process";

/**
 * The money edges of issue 18 (the cautious estimates that keep the last job
 * before a balance runs out from being undercharged are in estimate.test.ts):
 * a job cancelled while running pays for the GPU time it used, grants under a second are refused, and a plan without
 * Relax is neither pointed at Relax nor locked out of its old Relax images.
 * No worker runs: the lifecycle transitions are driven directly, as a worker
 * would.
 */
const db = testDb();
const redis = createRedis(inject("redisUrl"), "request");
const context = createTestJobContext(db, redis, `${inject("redisPrefix")}-money`);
const log = createLogger("test", "silent");
let storageDir = "";

async function principalOnPlan(plan: { name: string; fastMs: bigint; relaxAllowed: boolean }): Promise<Principal> {
  const user = await seedUser(db);
  const row = await db.plan.upsert({
    where: { name: plan.name },
    create: { name: plan.name, fastMsPerMonth: plan.fastMs, concurrentJobs: 3, queuedJobs: 10, relaxAllowed: plan.relaxAllowed, maxRepeat: 1, priceUsdPerMonth: 0, sortOrder: 80 },
    update: { fastMsPerMonth: plan.fastMs, relaxAllowed: plan.relaxAllowed },
  });
  await db.user.update({ where: { id: user.id }, data: { planId: row.id } });
  return { userId: user.id, email: user.email, role: "user", via: "token" };
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-money-"));
});

afterAll(async () => {
  await expectLedgerInvariants(db);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("money edges", () => {
  it("charges a job cancelled while running the GPU time it used, once; a queued cancel costs nothing", async () => {
    const user = await principalOnPlan({ name: "MoneyWide", fastMs: 10n ** 9n, relaxAllowed: true });
    const queued = await createImagineJobs(context, user, { prompt: "a blue cup" });
    expect(await cancelJobRow(db, { id: queued.id, userId: user.userId })).toBe("queued");
    expect(await db.ledgerEntry.count({ where: { jobId: queued.id, kind: "release" } })).toBe(1);

    const running = await createImagineJobs(context, user, { prompt: "a green kite" });
    await startJob(db, running.id, "money-test");
    expect(await cancelJobRow(db, { id: running.id, userId: user.userId })).toBe("running");
    // The hold stays until the worker reports what the attempt used.
    expect(await db.ledgerEntry.count({ where: { jobId: running.id, kind: { in: ["release", "settle"] } } })).toBe(0);
    expect(await settleCancelledJob(db, { id: running.id, userId: user.userId, mode: "fast" }, 123)).toBe(123);
    expect(await settleCancelledJob(db, { id: running.id, userId: user.userId, mode: "fast" }, 123)).toBeNull();
    expect(await db.job.findUniqueOrThrow({ where: { id: running.id }, select: { status: true, chargedMs: true } })).toEqual({ status: "cancelled", chargedMs: 123 });
  });

  it("returns the hold of a job cancelled while running whose worker never reported", async () => {
    const user = await principalOnPlan({ name: "MoneyWide", fastMs: 10n ** 9n, relaxAllowed: true });
    const job = await createImagineJobs(context, user, { prompt: "a yellow star" });
    await startJob(db, job.id, "money-test");
    await cancelJobRow(db, { id: job.id, userId: user.userId });
    expect(await releaseUnsettledCancels(db, log)).toBe(0);
    await db.job.update({ where: { id: job.id }, data: { finishedAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await releaseUnsettledCancels(db, log)).toBe(1);
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "release" } })).toBe(1);
    expect(await releaseUnsettledCancels(db, log)).toBe(0);
  });

  it("refuses grants under one second", () => {
    expect(ZGrantRequest.safeParse({ hours: 0.0001 }).error?.issues[0]?.message).toMatch(/at least one second/);
    expect(ZGrantRequest.safeParse({ hours: 1 / 3600 }).success).toBe(true);
  });

  it("on a plan without Relax: no advice to use Relax, no auto-Relax, and old Relax images still vary", async () => {
    const user = await principalOnPlan({ name: "MoneyWithRelax", fastMs: 10n ** 9n, relaxAllowed: true });
    const relaxJob = await createImagineJobs(context, user, { prompt: "a purple mountain --relax" });
    await startJob(db, relaxJob.id, "money-test");
    await completeJob(db, { id: relaxJob.id, userId: user.userId, mode: "relax" }, {
      gpuMs: 10,
      wallMs: 10,
      images: [{ jobId: relaxJob.id, userId: user.userId, index: 0, seed: 1n, width: 64, height: 64, isDraft: false, storageKey: `${user.userId}/${relaxJob.id}/0`, recipe: {} }],
    });
    const image = await db.image.findFirstOrThrow({ where: { jobId: relaxJob.id } });

    // The plan loses Relax (an admin moved the user to a plan without it).
    const noRelax = await db.plan.upsert({
      where: { name: "MoneyNoRelax" },
      create: { name: "MoneyNoRelax", fastMsPerMonth: 10n ** 9n, concurrentJobs: 3, queuedJobs: 10, relaxAllowed: false, maxRepeat: 1, priceUsdPerMonth: 0, sortOrder: 81 },
      update: {},
    });
    await db.user.update({ where: { id: user.userId }, data: { planId: noRelax.id } });
    await expect(setAutoRelax(db, user.userId, true)).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/not part of the MoneyNoRelax plan/) });
    await setAutoRelax(db, user.userId, false);

    const vary = await createVaryJob(context, user, image.id, "subtle");
    expect(vary.mode).toBe("fast");
    await cancelJobRow(db, { id: vary.id, userId: user.userId });

    await db.usageAccount.update({ where: { userId: user.userId }, data: { allowanceMs: 0n } });
    const refusal = await createImagineJobs(context, user, { prompt: "a grey cloud" }).catch((error: Error) => error);
    expect(refusal).toMatchObject({ code: "INSUFFICIENT_FAST_TIME" });
    expect((refusal as Error).message).not.toMatch(/--relax|automatic Relax/);
  });
});
