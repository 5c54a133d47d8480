import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import type { Db } from "@/lib/db/client";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createLogger } from "@/lib/log";
import type { JobContext } from "@/lib/server/jobs/context";
import type { ChaosFaults } from "./chaos-faults";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const FIXTURE_MODELS_DIR = path.join(ROOT, "tests/fixtures/diffusion");
export const FIXTURE_MODEL = "tiny-sd-optimum";

/**
 * Starts a real worker process against this run's Postgres and Redis,
 * optionally with injected faults (see chaos-faults.ts).
 */
export function startWorker(options: { prefix: string; storageDir: string; workerId: string; env?: Record<string, string>; faults?: ChaosFaults }): ChildProcess {
  const preload = options.faults ? ["--import", "./tests/support/chaos-faults.ts"] : [];
  return spawn(process.execPath, ["--import", "tsx", ...preload, "workers/main.ts"], {
    cwd: ROOT,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      DATABASE_URL: inject("databaseUrl"),
      REDIS_URL: inject("redisUrl"),
      REDIS_PREFIX: options.prefix,
      MODELS_DIR: FIXTURE_MODELS_DIR,
      STORAGE_DIR: options.storageDir,
      WORKER_ID: options.workerId,
      LOG_LEVEL: "warn",
      ...(options.faults && { CHAOS_FAULTS: JSON.stringify(options.faults) }),
      ...options.env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export async function stopWorker(worker: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.kill(signal);
  await exited;
}

export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The job use cases' context over this run's Postgres and Redis, with the fixture model unless told otherwise. */
export function createTestJobContext(
  db: Db,
  redis: Redis,
  prefix: string,
  models: { modelsDir: string; defaultModelId: string } = { modelsDir: FIXTURE_MODELS_DIR, defaultModelId: FIXTURE_MODEL },
): JobContext {
  return { db, queue: createGpuQueues(redis, prefix), ...models, log: createLogger("test", "silent"), redis, redisPrefix: prefix };
}
