import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { waitFor } from "../support/worker-process";
import { openScenario, seedPrincipal, startScenarioWorker, waitForFinal, type Scenario } from "./harness";

/**
 * One box, one worker, as `npm start` runs it: the worker is SIGKILLed mid-job
 * and the launcher starts it again under the same WORKER_ID. The new process
 * sees that its predecessor on this host is dead and retries the orphaned job
 * at once, instead of leaving the user watching "running" until BullMQ's lock
 * (the default 120 s here) expires. Recovery must take under 10 s.
 */
const RECOVERY_BOUND_MS = 10_000;

let scenario: Scenario;
let principal: Principal;
let worker: ChaosWorker | undefined;

function start(): ChaosWorker {
  // A slow GPU, so the job is reliably mid-run when the process dies.
  return startScenarioWorker(scenario, "restart-box-worker-0", { faults: { delayGenerateMs: 3_000 } });
}

beforeAll(async () => {
  scenario = await openScenario("restart");
  principal = await seedPrincipal(scenario.db, scenario);
}, 120_000);

afterAll(async () => {
  if (worker) await stopChaosWorker(worker, "SIGKILL");
  await scenario.close();
});

describe("a worker killed and restarted on the same host", () => {
  it("retries the job it was running within seconds, and completes it once", async () => {
    const { db } = scenario;
    worker = start();
    await worker.ready();
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a red lighthouse" });
    await waitFor(async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === "running", 30_000, "the job to start");
    await stopChaosWorker(worker, "SIGKILL");
    const killedAt = Date.now();

    worker = start();
    await worker.ready();
    // Recovered: the job runs again (its second attempt), on the restarted process.
    await waitFor(
      async () => {
        const again = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { attempts: true, status: true } });
        return again.attempts === 2 && again.status !== "queued";
      },
      RECOVERY_BOUND_MS + 5_000,
      "the job to run again",
    );
    const recoveredMs = Date.now() - killedAt;
    console.info(`job running again ${recoveredMs} ms after its worker was killed, restart included (BullMQ lock: 120 s)`);
    expect(recoveredMs).toBeLessThan(RECOVERY_BOUND_MS);
    const row = await waitForFinal(db, job.id, 15_000);
    expect(row.status, worker.output()).toBe("completed");
    expect(row.attempts).toBe(2);
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(1);
    expect(await db.image.count({ where: { jobId: job.id } })).toBe(4);
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
  });
});
