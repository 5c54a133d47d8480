import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import type { Principal } from "@/lib/server/principal";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { waitFor } from "../support/worker-process";
import { openScenario, seedPrincipal, waitForFinal, type Scenario } from "./harness";

/**
 * Stalled-job recovery: two workers are up, the one running a job vanishes
 * (SIGKILL: no clean-up, its lock simply stops being renewed), and the other
 * takes the job over within the configured time — LOCK_DURATION_MS for the
 * lock to expire plus up to two STALLED_INTERVAL_MS checks — and completes
 * it once.
 */
const LOCK_DURATION_MS = 3_000;
const STALLED_INTERVAL_MS = 1_000;
/** Process scheduling on a busy CI box; the BullMQ bound itself is lock + 2 × interval. */
const SLACK_MS = 3_000;

let scenario: Scenario;
let principal: Principal;
const workers: ChaosWorker[] = [];

beforeAll(async () => {
  scenario = await openScenario("stalled");
  principal = await seedPrincipal(scenario.db, scenario);
  for (const id of ["stall-a", "stall-b"]) {
    workers.push(
      startChaosWorker({
        databaseUrl: scenario.databaseUrl,
        redisUrl: scenario.redisUrl,
        prefix: scenario.prefix,
        storageDir: scenario.storageDir,
        workerId: id,
        env: { LOCK_DURATION_MS: String(LOCK_DURATION_MS), STALLED_INTERVAL_MS: String(STALLED_INTERVAL_MS) },
        // A slow GPU: the job is reliably still running when its worker dies.
        faults: { delayGenerateMs: 4_000 },
      }),
    );
  }
  await Promise.all(workers.map((worker) => worker.ready()));
}, 120_000);

afterAll(async () => {
  for (const worker of workers) await stopChaosWorker(worker, "SIGKILL");
  await scenario.close();
});

describe("a job whose worker vanished", () => {
  it("is picked up by another worker within the configured time and completes once", async () => {
    const { db } = scenario;
    const job = await createImagineJobs(scenario.context, principal, { prompt: "a purple mountain" });
    const first = await waitFor(
      async () => {
        const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, workerId: true } });
        return row.status === "running" ? row : undefined;
      },
      30_000,
      "the job to start",
    );
    const victim = workers.find((worker) => worker.id === first.workerId)!;
    const survivor = workers.find((worker) => worker.id !== first.workerId)!;
    await stopChaosWorker(victim, "SIGKILL");
    const killedAt = Date.now();

    await waitFor(
      async () => {
        const row = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { attempts: true, workerId: true } });
        return row.attempts === 2 && row.workerId === survivor.id;
      },
      LOCK_DURATION_MS + 2 * STALLED_INTERVAL_MS + SLACK_MS,
      "the other worker to take the stalled job over",
    );
    const tookOverMs = Date.now() - killedAt;
    console.info(`stalled job taken over ${tookOverMs} ms after its worker died (lock ${LOCK_DURATION_MS} ms, stalled check every ${STALLED_INTERVAL_MS} ms)`);

    const row = await waitForFinal(db, job.id, 30_000);
    expect(row.status, survivor.output()).toBe("completed");
    expect(await db.ledgerEntry.count({ where: { jobId: job.id, kind: "settle" } })).toBe(1);
    expect(await db.image.count({ where: { jobId: job.id } })).toBe(4);
    await expectChaosInvariants(db, { storageDir: scenario.storageDir, userIds: [principal.userId], queue: scenario.context.queue });
  });
});
