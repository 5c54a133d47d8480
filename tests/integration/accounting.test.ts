import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createRedis } from "@/lib/redis";
import { getUsage } from "@/lib/server/accounting/usage";
import { updatePlan } from "@/lib/server/plans-admin";
import { grantFastTime } from "@/lib/server/accounting/ledger";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { createDb } from "@/lib/db/client";
import { seedUser } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

// The web server's pool size: the load test below is a burst of API requests.
const db = createDb(inject("databaseUrl"), { max: 10 });
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-acct`;
const context = createTestJobContext(db, redis, prefix);
let storageDir = "";
let worker: ChildProcess | undefined;

async function newPrincipal(plan?: string): Promise<Principal> {
  const user = await seedUser(db);
  if (plan) await db.user.update({ where: { id: user.id }, data: { plan: { connect: { name: plan } } } });
  return { userId: user.id, email: user.email, role: "user", via: "token" };
}

// A liveness bound, not a speed goal: the 1000-job scenario drains ~760 jobs
// through one worker at ~5 jobs/s on a 2-core machine (bench/queue measures speed).
async function finished(userId: string, jobId: string) {
  return waitFor(async () => {
    const job = await getJobForUser(db, userId, jobId);
    return ["completed", "failed", "cancelled"].includes(job.status) ? job : undefined;
  }, 360_000, `job ${jobId}`);
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-acct-"));
  await seedUser(db); // seeds the plans
  await db.plan.upsert({
    where: { name: "Tiny" },
    create: { name: "Tiny", fastMsPerMonth: 1n, concurrentJobs: 1, queuedJobs: 1, relaxAllowed: true, maxRepeat: 2, priceUsdPerMonth: 0, sortOrder: 9 },
    update: {},
  });
});

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("GPU-time accounting", () => {
  it("runs queued jobs in priority order: Turbo, then Fast, then Relax", async () => {
    const user = await newPrincipal("Pro");
    // No worker yet: all three wait, submitted in the reverse of their priority.
    const relax = await createImagineJobs(context, user, { prompt: "a green tree --relax" });
    const fast = await createImagineJobs(context, user, { prompt: "a green tree --fast" });
    const turbo = await createImagineJobs(context, user, { prompt: "a green tree --turbo" });
    worker = startWorker({ prefix, storageDir, workerId: "acct-worker" });
    const jobs = await Promise.all([turbo, fast, relax].map((job) => finished(user.userId, job.id)));
    const started = await db.job.findMany({ where: { id: { in: jobs.map((job) => job.id) } }, select: { id: true, startedAt: true } });
    const order = started.sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime()).map((job) => job.id);
    expect(order).toEqual([turbo.id, fast.id, relax.id]);
  });

  it("holds an estimate, then charges measured GPU time × the mode multiplier exactly once", async () => {
    const user = await newPrincipal();
    const fast = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a red house --fast" })).id);
    const turbo = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a red house --turbo" })).id);
    const relax = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a red house --relax" })).id);
    for (const job of [fast, turbo, relax]) expect(job.status, job.error ?? "").toBe("completed");
    expect(fast.receipt).toMatchObject({ multiplier: 1, chargedMs: fast.gpuMs });
    expect(turbo.receipt).toMatchObject({ multiplier: 2, chargedMs: turbo.gpuMs * 2 });
    expect(relax.receipt).toMatchObject({ multiplier: 0, chargedMs: 0 });
    expect(fast.receipt.estimateMs).toBeGreaterThan(0);
    const usage = await getUsage(db, user.userId);
    expect(usage.fast.usedMs).toBe(fast.gpuMs + turbo.gpuMs * 2);
    expect(usage.fast.heldMs).toBe(0);
    expect(usage.relaxMs).toBe(relax.gpuMs);
    expect(await db.gpuUsage.count({ where: { jobId: { in: [fast.id, turbo.id, relax.id] } } })).toBe(3);
    await expectLedgerInvariants(db);
  });

  it("refuses a job that does not fit the remaining fast time (402) without writing it; Relax still works", async () => {
    const user = await newPrincipal("Tiny");
    const before = await db.job.count({ where: { userId: user.userId } });
    await expect(createImagineJobs(context, user, { prompt: "a blue boat" })).rejects.toMatchObject({
      code: "INSUFFICIENT_FAST_TIME",
      message: expect.stringMatching(/Not enough fast time.*--relax/),
    });
    expect(await db.job.count({ where: { userId: user.userId } })).toBe(before);
    const relax = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a blue boat --relax" })).id);
    expect(relax.status).toBe("completed");
    // An admin grant makes room.
    await db.$transaction((tx) => grantFastTime(tx, { userId: user.userId, amountMs: 3_600_000n, actorId: user.userId, note: "test" }));
    const fast = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a blue boat" })).id);
    expect(fast.status).toBe("completed");
    await expectLedgerInvariants(db);
  });

  it("runs out-of-time jobs in Relax when the user chose automatic fallback", async () => {
    const user = await newPrincipal("Tiny");
    await db.user.update({ where: { id: user.userId }, data: { autoRelax: true } });
    const job = await finished(user.userId, (await createImagineJobs(context, user, { prompt: "a pink star" })).id);
    expect(job).toMatchObject({ status: "completed", mode: "relax", receipt: { multiplier: 0, chargedMs: 0 } });
    expect((await getUsage(db, user.userId)).relaxMs).toBe(job.gpuMs);
    await expectLedgerInvariants(db);
  });

  it("lets admins change a plan: caps at once, fast hours from the next period", async () => {
    const tiny = await db.plan.findUniqueOrThrow({ where: { name: "Tiny" }, select: { id: true } });
    const updated = await updatePlan(db, tiny.id, { queuedJobs: 2, fastHours: 0.5 });
    expect(updated).toMatchObject({ name: "Tiny", queuedJobs: 2, fastHours: 0.5 });
    await updatePlan(db, tiny.id, { queuedJobs: 1, fastHours: 1 / 3_600_000 });
    await expect(updatePlan(db, "no-such-plan", { queuedJobs: 1 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("enforces the plan's cap on jobs in progress with a 429 naming it", async () => {
    // With no worker running, accepted jobs stay in progress.
    await stopWorker(worker!);
    worker = undefined;
    const user = await newPrincipal("Tiny");
    await db.$transaction((tx) => grantFastTime(tx, { userId: user.userId, amountMs: 3_600_000n, actorId: user.userId }));
    await expect(createImagineJobs(context, user, { prompt: "a yellow star --r 2" })).resolves.toBeDefined();
    await expect(createImagineJobs(context, user, { prompt: "a yellow star" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(/Tiny plan allows 2 jobs in progress/),
    });
  });

  it("returns the reservation of a cancelled job and charges nothing", async () => {
    const user = await newPrincipal();
    const job = await createImagineJobs(context, user, { prompt: "a pink flower" });
    expect((await getUsage(db, user.userId)).fast.heldMs).toBeGreaterThan(0);
    await cancelJob(context, user.userId, job.id);
    const usage = await getUsage(db, user.userId);
    expect(usage.fast.heldMs).toBe(0);
    expect(usage.fast.usedMs).toBe(0);
    worker = startWorker({ prefix, storageDir, workerId: "acct-worker-2" });
    await expectLedgerInvariants(db);
  });

  it("50 users submitting 1000 jobs at once: caps hold, nobody is negative, every completed job is settled once", async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => newPrincipal()));
    const outcomes = await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: 20 }, (_, index) =>
          createImagineJobs(context, user, { prompt: `a small ${index % 2 ? "red" : "blue"} circle --draft${index % 3 === 0 ? " --relax" : ""}` }).then(
            (job) => ({ ok: true as const, job, user }),
            (error: { code?: string; message?: string }) => ({ ok: false as const, code: error.code ?? String(error), message: error.message, user }),
          ),
        ),
      ),
    );
    const refused = outcomes.filter((outcome) => !outcome.ok);
    const unexpected = refused.find((outcome) => !outcome.ok && outcome.code !== "RATE_LIMITED");
    expect(unexpected, unexpected && !unexpected.ok ? unexpected.message : "").toBeUndefined();
    expect(new Set(refused.map((outcome) => (outcome.ok ? "" : outcome.code)))).toEqual(new Set(["RATE_LIMITED"]));
    const accepted = outcomes.filter((outcome) => outcome.ok);
    expect(accepted.length).toBeGreaterThan(50 * 13 - 1);
    await Promise.all(accepted.map((outcome) => (outcome.ok ? finished(outcome.user.userId, outcome.job.id) : null)));
    // Standard allows 13 in progress: when any job was accepted, its owner had at most 13 unfinished.
    const overCap = await db.$queryRaw<Array<{ id: string; in_progress: bigint }>>`
      SELECT j.id, (SELECT count(*) FROM job k WHERE k."userId" = j."userId" AND k."createdAt" <= j."createdAt"
                      AND (k."finishedAt" IS NULL OR k."finishedAt" > j."createdAt")) AS in_progress
        FROM job j WHERE j."userId" = ANY(${users.map((user) => user.userId)})`;
    expect(overCap.filter((row) => row.in_progress > 13n)).toEqual([]);
    await expectLedgerInvariants(db);
  }, 600_000);
});
