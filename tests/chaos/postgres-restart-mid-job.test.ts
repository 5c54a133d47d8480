import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createGpuQueues, type GpuQueues } from "@/lib/jobs/queue";
import { createRedis } from "@/lib/redis";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { OwnPostgres } from "../support/own-postgres";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { FIXTURE_MODEL, waitFor } from "../support/worker-process";

/**
 * Postgres restarts while a real worker is in the middle of a job (its own
 * Postgres, so the shared chaos database is untouched). The job is slowed
 * (3 s before inference) so the outage covers the moment it finishes and
 * tries to store its result. Expected: that attempt fails and is retried,
 * the job ends `completed` exactly once (one settle, one set of image rows,
 * each with its files, nothing orphaned), the worker process rides out the
 * outage without a restart and runs the next job, and the invariants hold.
 * When the outage outlasts every attempt, the job is failed with a message
 * once Postgres is back, its hold is returned and no file of it is left.
 */
const DELAY_MS = 3_000;
let storageDir = "";
let postgres: OwnPostgres;
let server: RouteServer;
let worker: ChaosWorker;
const prefix = `${inject("redisPrefix")}-pgjob-${randomBytes(2).toString("hex")}`;
const redis = createRedis(inject("redisUrl"), "request");
let queues: GpuQueues;

async function submit(prompt: string) {
  const response = await fetch(`${server.url}/api/v1/jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${postgres.token}`, "content-type": "application/json" },
    body: JSON.stringify({ prompt }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  expect(response.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

function jobRow(id: string) {
  return postgres.db.job.findUniqueOrThrow({ where: { id }, select: { status: true, attempts: true, error: true } });
}

beforeAll(async () => {
  postgres = await OwnPostgres.start("midjob");
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-pg-midjob-images-"));
  queues = createGpuQueues(redis, prefix);
  // Opened here so the invariant check's BullMQ counts cover the fixture model's queue.
  queues.forModel(FIXTURE_MODEL);
  const { databaseUrl } = postgres;
  server = await startRouteServer({ databaseUrl, redisUrl: inject("redisUrl"), prefix, storageDir });
  worker = startChaosWorker({ databaseUrl, redisUrl: inject("redisUrl"), prefix, storageDir, workerId: "pg-midjob-worker", faults: { delayGenerateMs: DELAY_MS } });
  await worker.ready();
}, 120_000);

afterAll(async () => {
  if (worker) await stopChaosWorker(worker, "SIGKILL");
  await server?.close();
  await queues?.close();
  redis.disconnect();
  await postgres?.close();
  await rm(storageDir, { recursive: true, force: true });
});

describe("Postgres restarted while a worker runs a job", () => {
  it("retries the interrupted attempt, completes the job exactly once, and the worker recovers without a restart", async () => {
    const jobId = await submit("a red boat at sea --draft");
    await waitFor(async () => (await jobRow(jobId)).status === "running", 30_000, "the job to start");

    // Down while the job is inside its (slowed) inference and until it has tried to store the result.
    await postgres.stop();
    await waitFor(async () => worker.output().includes('"msg":"job attempt failed"'), 30_000, "the attempt to fail on the outage");
    await postgres.restart();
    const { db, userId } = postgres;

    const final = await waitFor(async () => {
      const row = await jobRow(jobId).catch(() => undefined);
      return row && ["completed", "failed", "cancelled"].includes(row.status) ? row : undefined;
    }, 60_000, "the job to finish after the restart");
    expect(final, worker.output().slice(-4000)).toMatchObject({ status: "completed" });
    expect(final.attempts).toBeGreaterThanOrEqual(2);
    expect(worker.child.exitCode, "the worker must ride out the outage").toBeNull();

    // Exactly once: one settle, no release, one set of four images.
    const ledger = await db.ledgerEntry.findMany({ where: { jobId }, select: { kind: true } });
    expect(ledger.map((entry) => entry.kind).sort()).toEqual(["hold", "settle"]);
    expect(await db.image.count({ where: { jobId } })).toBe(4);
    expect((await db.usageAccount.findUniqueOrThrow({ where: { userId } })).heldMs).toBe(0n);

    // The same worker process takes the next job.
    const next = await submit("a blue moon --draft");
    const after = await waitFor(async () => {
      const row = await jobRow(next);
      return row.status === "completed" || row.status === "failed" ? row : undefined;
    }, 30_000, "the next job");
    expect(after.status, after.error ?? "").toBe("completed");
    expect(worker.child.exitCode).toBeNull();

    await expectChaosInvariants(db, { storageDir, userIds: [userId], queue: queues });
  }, 120_000);

  it("fails the job cleanly when the outage outlasts every attempt: message, hold returned, no files left", async () => {
    const jobId = await submit("a green tree on the snow --draft");
    await waitFor(async () => (await jobRow(jobId)).status === "running", 30_000, "the job to start");
    // Down through all three attempts (5 s and 10 s exponential backoff, jittered), until BullMQ gives up.
    await postgres.stop();
    const queued = await queues.getJob(jobId, FIXTURE_MODEL);
    await waitFor(async () => (await queued?.getState()) === "failed", 40_000, "BullMQ to fail the job while Postgres is down");
    expect((await queues.getJob(jobId, FIXTURE_MODEL))?.attemptsMade).toBe(3);
    await postgres.restart();
    const { db, userId } = postgres;

    // Nobody could mark the row while Postgres was down; the worker's sweep does once it is back.
    const final = await waitFor(async () => {
      const row = await jobRow(jobId).catch(() => undefined);
      return row && ["completed", "failed", "cancelled"].includes(row.status) ? row : undefined;
    }, 40_000, "the job to be failed after the restart");
    expect(final.status, worker.output().slice(-4000)).toBe("failed");
    expect(final.error).toMatch(/failed after several attempts/);
    const ledger = await db.ledgerEntry.findMany({ where: { jobId }, select: { kind: true } });
    expect(ledger.map((entry) => entry.kind).sort()).toEqual(["hold", "release"]);
    expect(await db.image.count({ where: { jobId } })).toBe(0);
    expect((await db.usageAccount.findUniqueOrThrow({ where: { userId } })).heldMs).toBe(0n);
    expect(worker.child.exitCode, "the worker must ride out the outage").toBeNull();
    // The invariant check also finds any image file the interrupted attempt left behind.
    await expectChaosInvariants(db, { storageDir, userIds: [userId], queue: queues });
  }, 120_000);
});
