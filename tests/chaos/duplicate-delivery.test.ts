import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATE_JOB_NAME } from "@/lib/jobs/queue";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { FIXTURE_MODEL, waitFor } from "../support/worker-process";
import { openScenario, seedPrincipal, waitForFinal, type Scenario } from "./harness";

/**
 * BullMQ delivers at least once: the same job can run on two workers at the
 * same time (a lost lock, a stall that was not one). Here a second delivery
 * of a running job is added by hand and taken by a second, slower worker.
 * The faster attempt completes the job; the slower one finds it no longer
 * running and must change nothing: one settle, one set of image rows, and
 * their files still on disk (the slower attempt wrote the same keys and
 * used to delete them as if the job had been cancelled).
 */
let scenario: Scenario;
let principal: Principal;
const workers: ChaosWorker[] = [];

beforeAll(async () => {
  scenario = await openScenario("dup");
  principal = await seedPrincipal(scenario.db, scenario);
  for (const [id, delayGenerateMs] of [["dup-fast-worker", 1_500], ["dup-slow-worker", 5_000]] as const) {
    workers.push(startChaosWorker({ databaseUrl: scenario.databaseUrl, redisUrl: scenario.redisUrl, prefix: scenario.prefix, storageDir: scenario.storageDir, workerId: id, faults: { delayGenerateMs } }));
  }
  await Promise.all(workers.map((worker) => worker.ready()));
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await stopChaosWorker(worker, "SIGKILL");
  await scenario?.close();
});

describe("a job delivered twice at once", () => {
  it("is completed and charged once, and the second attempt leaves the first one's images in place", async () => {
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a purple fish --draft" });
    await waitFor(async () => (await scenario.db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } })).status === "running", 30_000, "the job to start");
    // The duplicate delivery: same row, another BullMQ id, taken by whichever worker is idle.
    const duplicate = await scenario.context.queue.forModel(FIXTURE_MODEL).add(GENERATE_JOB_NAME, { jobId: job.id }, { jobId: `dup-${job.id}`, priority: 1 });
    await waitFor(async () => (await scenario.db.job.findUniqueOrThrow({ where: { id: job.id }, select: { attempts: true } })).attempts === 2, 30_000, "the duplicate to start");

    const row = await waitForFinal(scenario.db, job.id, 60_000);
    expect(row.status, workers.map((worker) => worker.output().slice(-2000)).join("\n---\n")).toBe("completed");
    // Both deliveries end (the original is removed from Redis when it completes), whichever finished first.
    await waitFor(async () => (await duplicate.getState()) === "completed", 60_000, "the duplicate delivery to finish");
    await waitFor(async () => !(await scenario.context.queue.getJob(job.id, FIXTURE_MODEL)), 60_000, "the original delivery to finish");
    expect(await scenario.db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(1);
    expect(await scenario.db.image.count({ where: { jobId: job.id } })).toBe(4);
    // Image rows with their files, and no file without a row.
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
    const outcomes = await scenario.db.gpuUsage.findMany({ where: { jobId: job.id }, select: { outcome: true } });
    expect(outcomes.map((usage) => usage.outcome).sort()).toEqual(["completed", "duplicate"]);
  }, 120_000);
});
