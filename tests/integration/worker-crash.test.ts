import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createRedis } from "@/lib/redis";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { seedUser } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

const db = createDb(inject("databaseUrl"), { max: 4 });
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-crash`;
const context = createTestJobContext(db, redis, prefix);
// Short locks so a dead worker's job is taken over in seconds, not minutes.
const FAST_STALLS = { LOCK_DURATION_MS: "2000", STALLED_INTERVAL_MS: "500" };

afterAll(async () => {
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
});

describe("a worker killed mid-job", () => {
  it("is replaced: the job completes once, with one set of images, charged once", async () => {
    const storageDir = await mkdtemp(path.join(tmpdir(), "mirage-crash-"));
    const user = await seedUser(db);
    const principal = { userId: user.id, email: user.email, role: "user" as const, via: "token" as const };
    const doomed = startWorker({ prefix, storageDir, workerId: "doomed-worker", env: FAST_STALLS });
    let killedMidJob = false;
    let jobId = "";
    try {
      // Freeze the worker the moment it has started a job, confirm the job is
      // still unfinished, then kill it: a crash in the middle of inference.
      for (let attempt = 0; attempt < 10 && !killedMidJob; attempt += 1) {
        jobId = (await createImagineJobs(context, principal, { prompt: `a purple ring --seed ${attempt}` })).id;
        await waitFor(async () => (await db.job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status !== "queued", 30_000, "the job to start");
        doomed.kill("SIGSTOP");
        const status = (await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status;
        if (status === "running") {
          killedMidJob = true;
          await stopWorker(doomed, "SIGKILL");
        } else {
          doomed.kill("SIGCONT");
        }
      }
      expect(killedMidJob, "could not catch the worker in the middle of a job").toBe(true);

      const rescuer = startWorker({ prefix, storageDir, workerId: "rescuer-worker", env: FAST_STALLS });
      try {
        const job = await waitFor(
          async () => {
            const row = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, attempts: true, workerId: true } });
            return row.status === "completed" || row.status === "failed" ? row : undefined;
          },
          60_000,
          "the rescued job to finish",
        );
        expect(job.status).toBe("completed");
        expect(job.workerId).toBe("rescuer-worker");
        expect(job.attempts).toBe(2);
        expect(await db.image.count({ where: { jobId } })).toBe(4);
        expect(await db.ledgerEntry.count({ where: { jobId, kind: "settle" } })).toBe(1);
        await expectLedgerInvariants(db);
      } finally {
        await stopWorker(rescuer);
      }
    } finally {
      await stopWorker(doomed, "SIGKILL");
      await rm(storageDir, { recursive: true, force: true });
    }
  }, 180_000);
});
