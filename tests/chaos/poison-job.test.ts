import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { FAST_STALLS, openScenario, seedPrincipal, waitForFinal, type Scenario } from "./harness";

/**
 * A poison job: every attempt crashes the worker process that runs it (as a
 * native crash in onnxruntime would). A supervisor (this test, standing in
 * for systemd or compose) restarts the worker each time. The job must fail
 * after its attempts with a message and its hold returned, and must not
 * block the jobs queued behind it.
 */
let scenario: Scenario;
let principal: Principal;
const workers: ChaosWorker[] = [];
let supervising = true;

function superviseWorker(generation = 0): void {
  const worker = startChaosWorker({
    databaseUrl: scenario.databaseUrl,
    redisUrl: scenario.redisUrl,
    prefix: scenario.prefix,
    storageDir: scenario.storageDir,
    workerId: `poison-worker-${generation}`,
    env: FAST_STALLS,
    faults: { crashProcessOnPrompt: "zzpoison" },
  });
  workers.push(worker);
  void worker.exited.then(() => {
    if (supervising) superviseWorker(generation + 1);
  });
}

beforeAll(async () => {
  scenario = await openScenario("poison");
  principal = await seedPrincipal(scenario.db, scenario);
});

afterAll(async () => {
  supervising = false;
  for (const worker of workers) await stopChaosWorker(worker);
  await scenario.close();
});

describe("a job that always crashes its worker", () => {
  it("fails after its attempts with a message, and the jobs behind it complete", async () => {
    const { db, context } = scenario;
    const poison = await createImagineJobs(context, principal, { prompt: "a zzpoison flower" });
    const others = [];
    for (const prompt of ["a red house", "a blue fish"]) others.push(await createImagineJobs(context, principal, { prompt }));
    superviseWorker();

    const row = await waitForFinal(db, poison.id, 80_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- worker output ---\n${workers.map((worker) => worker.output()).join("\n---\n")}`);
    });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/crashed/i);
    const crashes = workers.filter((worker) => worker.output().includes("SIGKILL worker process")).length;
    expect(crashes).toBeGreaterThanOrEqual(2);
    expect(await db.ledgerEntry.count({ where: { jobId: poison.id, kind: "release" } })).toBe(1);
    expect((await getJobForUser(db, principal.userId, poison.id)).status).toBe("failed");

    for (const other of others) {
      const done = await waitForFinal(db, other.id, 40_000);
      expect(done.status).toBe("completed");
      expect(await db.image.count({ where: { jobId: other.id } })).toBe(4);
    }
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: context.queue });
  }, 150_000);
});
