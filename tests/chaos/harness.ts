import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { createRedis } from "@/lib/redis";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import type { JobContext } from "@/lib/server/jobs/context";
import type { Principal } from "@/lib/server/principal";
import { seedUser } from "../support/db";
import { startChaosWorker, type ChaosWorker, type ChaosWorkerOptions } from "../support/chaos-worker";
import { createTestJobContext, waitFor } from "../support/worker-process";

/** Test timings: a dead worker's job is taken over in seconds, not minutes. */
export const FAST_STALLS = { LOCK_DURATION_MS: "2000", STALLED_INTERVAL_MS: "500" } as const;

export interface Scenario {
  db: Db;
  context: JobContext;
  prefix: string;
  storageDir: string;
  databaseUrl: string;
  redisUrl: string;
  /** Users whose unfinished jobs `close` cancels (the database is shared by every chaos file). */
  users: string[];
  close(): Promise<void>;
}

/** One scenario's Postgres client, Redis prefix, job context and image folder. */
export async function openScenario(name: string, databaseUrl = inject("databaseUrl")): Promise<Scenario> {
  const db = createDb(databaseUrl, { max: 4 });
  const redisUrl = inject("redisUrl");
  const redis = createRedis(redisUrl, "request");
  const prefix = `${inject("redisPrefix")}-${name}-${randomBytes(2).toString("hex")}`;
  const context = createTestJobContext(db, redis, prefix);
  const storageDir = await mkdtemp(path.join(tmpdir(), `mirage-chaos-${name}-`));
  const users: string[] = [];
  return {
    db,
    context,
    prefix,
    storageDir,
    databaseUrl,
    redisUrl,
    users,
    async close() {
      // A failed scenario must not leave queued jobs for the next file's workers
      // (their reconcilers re-enqueue every queued row of the shared database).
      for (const userId of users) {
        const open = await db.job.findMany({ where: { userId, status: { in: ["queued", "running"] } }, select: { id: true } }).catch(() => []);
        for (const row of open) await cancelJob(context, userId, row.id).catch(() => undefined);
      }
      await context.queue.close().catch(() => undefined);
      redis.disconnect();
      await db.$disconnect();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}

export async function seedPrincipal(db: Db, scenario?: Scenario): Promise<Principal> {
  const user = await seedUser(db);
  scenario?.users.push(user.id);
  return { userId: user.id, email: user.email, role: "user", via: "token" };
}

const FINAL = new Set(["completed", "failed", "cancelled"]);

/** Waits for a job row to reach a final status; returns the row. */
export function waitForFinal(db: Db, jobId: string, timeoutMs: number) {
  return waitFor(
    async () => {
      const row = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, attempts: true, error: true, workerId: true } });
      return FINAL.has(row.status) ? row : undefined;
    },
    timeoutMs,
    `job ${jobId} to finish`,
  );
}

/** A real worker process on this scenario's Postgres, Redis prefix and image folder. */
export function startScenarioWorker(scenario: Scenario, workerId: string, options: Pick<ChaosWorkerOptions, "faults" | "env"> = {}): ChaosWorker {
  return startChaosWorker({
    databaseUrl: scenario.databaseUrl,
    redisUrl: scenario.redisUrl,
    prefix: scenario.prefix,
    storageDir: scenario.storageDir,
    workerId,
    ...options,
  });
}
