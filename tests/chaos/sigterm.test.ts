import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { waitFor } from "../support/worker-process";
import { FAST_STALLS, openScenario, seedPrincipal, waitForFinal, type Scenario } from "./harness";

/**
 * SIGTERM while a job runs (a deploy, `docker stop`). With time to spare the
 * job finishes and the worker exits 0; when the job outlasts
 * SHUTDOWN_DEADLINE_MS the worker exits at the deadline, the row goes back to
 * `queued` (never left `running` on a worker that is gone), and another
 * worker completes it, charged once.
 */
let scenario: Scenario;
let principal: Principal;
const workers: ChaosWorker[] = [];

function worker(id: string, env: Record<string, string>, delayGenerateMs: number): ChaosWorker {
  const started = startChaosWorker({
    databaseUrl: scenario.databaseUrl,
    redisUrl: scenario.redisUrl,
    prefix: scenario.prefix,
    storageDir: scenario.storageDir,
    workerId: id,
    env: { ...FAST_STALLS, ...env },
    faults: { delayGenerateMs },
  });
  workers.push(started);
  return started;
}

async function whenRunning(jobId: string) {
  await waitFor(async () => (await scenario.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status === "running", 30_000, "the job to start");
}

beforeAll(async () => {
  scenario = await openScenario("sigterm");
  principal = await seedPrincipal(scenario.db, scenario);
});

afterAll(async () => {
  for (const started of workers) await stopChaosWorker(started, "SIGKILL");
  await scenario.close();
});

describe("SIGTERM during a job", () => {
  it("lets the job finish within the deadline, then exits 0", async () => {
    const patient = worker("patient-worker", { SHUTDOWN_DEADLINE_MS: "30000" }, 2_000);
    await patient.ready();
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a pink ring" });
    await whenRunning(job.id);
    const signalled = Date.now();
    patient.child.kill("SIGTERM");
    const exit = await patient.exited;
    expect(exit, patient.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(30_000);
    const row = await scenario.db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, attempts: true, workerId: true } });
    expect(row).toEqual({ status: "completed", attempts: 1, workerId: "patient-worker" });
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
  });

  it("exits at the deadline with the job requeued, and another worker completes it once", async () => {
    const hasty = worker("hasty-worker", { SHUTDOWN_DEADLINE_MS: "1000" }, 60_000);
    await hasty.ready();
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a white cloud" });
    await whenRunning(job.id);
    // The rescuer starts while the job runs on the hasty worker (it has a minute to go).
    const rescuer = worker("rescuer-worker", {}, 0);
    await rescuer.ready();
    expect((await scenario.db.job.findUniqueOrThrow({ where: { id: job.id }, select: { workerId: true } })).workerId).toBe("hasty-worker");
    const signalled = Date.now();
    hasty.child.kill("SIGTERM");
    const exit = await hasty.exited;
    const stoppedAfter = Date.now() - signalled;
    expect(exit, hasty.output()).toEqual({ code: 0, signal: null });
    expect(stoppedAfter, "exit within the deadline plus clean-up").toBeLessThan(1_000 + 4_000);
    // Not left "running" on a worker that is gone.
    const afterExit = await scenario.db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } });
    expect(afterExit.status).toBe("queued");

    const row = await waitForFinal(scenario.db, job.id, 45_000);
    expect(row.status, rescuer.output()).toBe("completed");
    expect(row.workerId).toBe("rescuer-worker");
    expect(row.attempts).toBe(2);
    expect(await scenario.db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(1);
    expect(await scenario.db.image.count({ where: { jobId: job.id } })).toBe(4);
    await stopChaosWorker(rescuer);
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
  });
});
