import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { waitFor } from "../support/worker-process";
import { openScenario, seedPrincipal, startScenarioWorker, waitForFinal, type Scenario } from "./harness";

/**
 * Cancelling a running job across processes: the web side marks the row and
 * publishes a cancel request on the model queue's event stream; of the two
 * workers, the one running the job finds it (BullMQ's Worker.cancelJob), and
 * its processor's abort signal goes to the diffusion runner, which tells the
 * inference process (that last hop is covered by tests/unit/diffusion/runner).
 * The slow-GPU fault holds the request before the inference process sees it,
 * so here the generation still runs to its end; what this proves is the
 * delivery: the running worker, and only it, aborts the job, and the attempt
 * ends cancelled with no images kept and the GPU time it used charged once.
 */
const SLOW_GENERATE_MS = 8_000;

let scenario: Scenario;
let principal: Principal;
const workers: ChaosWorker[] = [];

beforeAll(async () => {
  scenario = await openScenario("cancel");
  principal = await seedPrincipal(scenario.db, scenario);
  for (const id of ["cancel-a", "cancel-b"]) workers.push(startScenarioWorker(scenario, id, { faults: { delayGenerateMs: SLOW_GENERATE_MS } }));
  await Promise.all(workers.map((worker) => worker.ready()));
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await stopChaosWorker(worker, "SIGKILL");
  await scenario.close();
});

describe("cancelling a running job", () => {
  it("aborts the generation on the worker running it, keeps no images and charges the GPU time it used", async () => {
    const { db } = scenario;
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a green kite" });
    const running = await waitFor(async () => {
      const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, workerId: true } });
      return row.status === "running" ? row : undefined;
    }, 30_000, "the job to start");
    const cancelledAt = Date.now();
    expect((await cancelJob(scenario.context, principal.userId, job.id)).status).toBe("cancelled");

    const runner = workers.find((worker) => worker.id === (running.workerId ?? ""))!;
    const other = workers.find((worker) => worker !== runner)!;
    const delivered = '"msg":"cancel request delivered to the running job"';
    await waitFor(async () => runner.output().includes(delivered), 3_000, `the cancel request to reach ${runner.id}`);
    console.info(`cancel request reached the running worker ${Date.now() - cancelledAt} ms after the cancel`);
    expect(other.output()).not.toContain(delivered);

    const attempt = await waitFor(() => db.gpuUsage.findFirst({ where: { jobId: job.id } }), SLOW_GENERATE_MS + 10_000, "the worker to record the aborted attempt");
    expect(attempt.outcome).toBe("cancelled");

    const row = await waitForFinal(db, job.id, 5_000);
    expect(row.status).toBe("cancelled");
    expect(await db.image.count({ where: { jobId: job.id } })).toBe(0);
    // The GPU time the attempt used is charged, once; its hold is not also returned.
    const ledger = await db.ledgerEntry.findMany({ where: { jobId: job.id }, select: { kind: true, amountMs: true } });
    expect(ledger.map((entry) => entry.kind).sort()).toEqual(["hold", "settle"]);
    expect(Number(ledger.find((entry) => entry.kind === "settle")!.amountMs)).toBe(attempt.gpuMs);
    // Both workers still take work afterwards.
    const next = await createImagineJobs(scenario.context, principal, { prompt: "a blue cup" });
    expect((await waitForFinal(db, next.id, 30_000)).status).toBe("completed");
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
  });
});
