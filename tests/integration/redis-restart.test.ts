import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { startRedisServer, type RedisServerHandle } from "@/lib/services/redis-server";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { seedUser } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * Redis is transport only: with AOF on, a restart loses no queued job, and a
 * job accepted while Redis is down is enqueued by the reconciler once it is
 * back. Web and worker reconnect by themselves.
 */
const db = createDb(inject("databaseUrl"), { max: 4 });
const log = createLogger("test", "silent");
const homes: string[] = [];
afterAll(async () => {
  await db.$disconnect();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});

describe("Redis restarts", () => {
  it("loses no job, and jobs accepted while it was down still run, exactly once", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "mirage-redis-"));
    homes.push(home);
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    let redisServer: RedisServerHandle = await startRedisServer({ home, port, log });
    const redis = createRedis(redisServer.url, "request");
    const prefix = "restart";
    const context = createTestJobContext(db, redis, prefix);
    const user = await seedUser(db);
    const principal = { userId: user.id, email: user.email, role: "user" as const, via: "token" as const };
    const worker = startWorker({
      prefix,
      storageDir: home,
      workerId: "restart-worker",
      env: { REDIS_URL: redisServer.url, LOCK_DURATION_MS: "2000", STALLED_INTERVAL_MS: "500" },
    });
    try {
      await stopWorker(worker);
      // Queued while no worker runs, then Redis restarts (AOF keeps them).
      const queued = [await createImagineJobs(context, principal, { prompt: "a red ring" }), await createImagineJobs(context, principal, { prompt: "a blue ring" })];
      await redisServer.stop();
      // Accepted while Redis is down: the row is written, the enqueue waits for the reconciler.
      const whileDown = await createImagineJobs(context, principal, { prompt: "a green ring" });
      expect(whileDown.status).toBe("queued");
      redisServer = await startRedisServer({ home, port, log });
      const again = startWorker({ prefix, storageDir: home, workerId: "restart-worker-2", env: { REDIS_URL: redisServer.url } });
      try {
        for (const job of [...queued, whileDown]) {
          const row = await waitFor(
            async () => {
              const found = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, attempts: true } });
              return found.status === "completed" || found.status === "failed" ? found : undefined;
            },
            90_000,
            `job ${job.id}`,
          );
          expect(row).toEqual({ status: "completed", attempts: 1 });
          expect(await db.image.count({ where: { jobId: job.id } })).toBe(4);
        }
        await expectLedgerInvariants(db);
      } finally {
        await stopWorker(again);
      }
    } finally {
      await context.queue.close().catch(() => undefined);
      redis.disconnect();
      await redisServer.stop();
    }
  }, 180_000);
});
