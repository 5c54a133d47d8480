import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { openScenario, seedPrincipal, waitForFinal, type Scenario } from "./harness";

/**
 * The inference process (onnxruntime runs in a child process of the worker)
 * is killed in the middle of a job — a native crash, or the OS reclaiming
 * memory. The attempt fails cleanly, the job is retried on a fresh inference
 * process, the worker process itself lives on, and the user sees the final
 * outcome: the image set when a retry succeeds, a failure with a message (and
 * the hold returned) when every attempt dies.
 */
let scenario: Scenario;
let worker: ChaosWorker;
let principal: Principal;

beforeAll(async () => {
  scenario = await openScenario("inference");
  principal = await seedPrincipal(scenario.db, scenario);
  worker = startChaosWorker({
    databaseUrl: scenario.databaseUrl,
    redisUrl: scenario.redisUrl,
    prefix: scenario.prefix,
    storageDir: scenario.storageDir,
    workerId: "inference-chaos-worker",
    // No process dies here: a long lock keeps a starved event loop (busy CI box) from stalling the job.
    env: { LOCK_DURATION_MS: "30000", STALLED_INTERVAL_MS: "5000" },
    faults: { killInference: [{ prompt: "zzonce", times: 1 }, { prompt: "zzalways" }] },
  });
  await worker.ready();
});

afterAll(async () => {
  await stopChaosWorker(worker);
  await scenario.close();
});

describe("an inference process killed mid-job", () => {
  it("fails the attempt, retries on a new inference process, and completes once", async () => {
    const { db, context } = scenario;
    const job = await createImagineJobs(context, principal, { prompt: "a red zzonce boat" });
    const row = await waitForFinal(db, job.id, 45_000);
    expect(row.status, worker.output()).toBe("completed");
    expect(row.attempts).toBe(2);
    expect(worker.output()).toContain("SIGKILL the inference process");
    const attempts = await db.gpuUsage.findMany({ where: { jobId: job.id }, orderBy: { attempt: "asc" }, select: { attempt: true, outcome: true } });
    expect(attempts).toEqual([{ attempt: 1, outcome: "failed" }, { attempt: 2, outcome: "completed" }]);
    const view = await getJobForUser(db, principal.userId, job.id);
    expect(view.status).toBe("completed");
    expect(view.images).toHaveLength(4);
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(1);
    // The worker process itself survived: it answered the retry.
    expect(worker.child.exitCode).toBeNull();
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: context.queue });
  });

  it("fails for good after its attempts with a message, and returns the hold", async () => {
    const { db, context } = scenario;
    const job = await createImagineJobs(context, principal, { prompt: "a blue zzalways moon" });
    const row = await waitForFinal(db, job.id, 110_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- worker output ---\n${worker.output()}`);
    });
    expect(row.status, worker.output()).toBe("failed");
    expect(row.attempts).toBe(3);
    expect(row.error).toMatch(/failed on the GPU worker after several attempts/);
    const view = await getJobForUser(db, principal.userId, job.id);
    expect(view.status).toBe("failed");
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "release" } })).toBe(1);
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(0);
    // The queue still works: the next job completes on the same worker.
    const next = await createImagineJobs(context, principal, { prompt: "a green star" });
    expect((await waitForFinal(db, next.id, 30_000)).status).toBe("completed");
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: context.queue });
  }, 160_000);
});
