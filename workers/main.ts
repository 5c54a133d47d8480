import { hostname } from "node:os";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { Worker } from "bullmq";
import { loadWorkerConfig } from "@/lib/config/worker";
import { ConfigError } from "@/lib/config/parse-env";
import { createDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { QUEUES } from "@/lib/queue/queues";
import { createRedis } from "@/lib/redis";
import { markWorkerStopped, recordWorkerHeartbeat } from "@/lib/server/workers";
import { createDiffusionRunner } from "@/lib/diffusion";
import { cancelChannel, createGpuQueue, type TGpuJobData } from "@/lib/jobs/queue";
import type { GpuContext } from "./gpu-context";
import { processGpuJob } from "./process-gpu-job";
import { ageRelaxJobs, reconcileQueuedJobs } from "./reconcile";

/**
 * A GPU worker process: consumes the `gpu` queue with concurrency 1, reports
 * a heartbeat (id, host, provider, models) to Postgres, and on SIGTERM/SIGINT
 * lets the running job finish within SHUTDOWN_DEADLINE_MS before exiting.
 */

/** Models this worker can serve: every folder under MODELS_DIR with a model_index.json. */
async function discoverModels(modelsDir: string): Promise<string[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const models: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const files: string[] = await readdir(path.join(modelsDir, entry.name)).catch(() => []);
    if (files.includes("model_index.json")) models.push(entry.name);
  }
  return models.sort();
}

async function main() {
  const config = loadWorkerConfig();
  const log = createLogger("worker", config.LOG_LEVEL).child({ workerId: config.workerId });
  const db = createDb(config.DATABASE_URL, { max: 4 });
  const connection = createRedis(config.REDIS_URL, "worker");
  const models = await discoverModels(config.MODELS_DIR);
  const startedAt = new Date();
  const runner = createDiffusionRunner({
    provider: config.EXECUTION_PROVIDER,
    deviceId: config.DEVICE,
    onWarning: (message) => log.warn({ provider: config.EXECUTION_PROVIDER }, message),
  });
  const context: GpuContext = {
    db,
    runner,
    modelsDir: config.MODELS_DIR,
    storageDir: config.STORAGE_DIR,
    workerId: config.workerId,
    log,
    active: new Map(),
  };
  // Cancel requests arrive over pub/sub; only the worker running the job acts on one.
  const subscriber = createRedis(config.REDIS_URL, "worker");
  await subscriber.subscribe(cancelChannel(config.REDIS_PREFIX));
  subscriber.on("message", (_channel: string, jobId: string) => context.active.get(jobId)?.abort(new Error("cancelled by the user")));
  const queue = createGpuQueue(connection, config.REDIS_PREFIX);

  const beat = () =>
    recordWorkerHeartbeat(db, {
      id: config.workerId,
      host: hostname(),
      pid: process.pid,
      provider: config.EXECUTION_PROVIDER,
      device: config.EXECUTION_PROVIDER === "cuda" ? config.DEVICE : null,
      models,
      startedAt,
    }).catch((error: unknown) => log.warn({ err: error }, "heartbeat failed; will retry"));

  // Signals are handled from the first moment, so a stop during start-up is clean too.
  const running: { worker?: Worker<TGpuJobData>; heartbeat?: NodeJS.Timeout; reconciler?: NodeJS.Timeout } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, deadlineMs: config.SHUTDOWN_DEADLINE_MS }, "shutting down");
    clearInterval(running.heartbeat);
    clearInterval(running.reconciler);
    const deadline = new Promise<"deadline">((resolve) => setTimeout(() => resolve("deadline"), config.SHUTDOWN_DEADLINE_MS).unref());
    const closed = running.worker ? running.worker.close().then(() => "closed" as const) : Promise.resolve("closed" as const);
    if ((await Promise.race([closed, deadline])) === "deadline") {
      log.warn("deadline reached with a job still running; it will be retried by another worker");
    }
    await markWorkerStopped(db, config.workerId).catch(() => undefined);
    await runner.close().catch(() => undefined);
    await Promise.allSettled([db.$disconnect(), queue.close(), subscriber.quit(), connection.quit()]);
    log.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  await beat();
  if (stopping) return;
  running.heartbeat = setInterval(() => void beat(), config.HEARTBEAT_INTERVAL_MS);

  // Load and warm every model now, so the first job does not pay for it.
  for (const model of models) {
    void runner.preload(path.join(config.MODELS_DIR, model)).then(
      () => log.info({ model }, "model loaded and warmed up"),
      (error: unknown) => log.error({ model, err: error }, "model failed to load; its jobs will fail on this worker"),
    );
  }

  const reconcile = () => {
    void reconcileQueuedJobs(db, queue, log).catch((error: unknown) => log.warn({ err: error }, "reconcile failed"));
    void ageRelaxJobs(db, queue, log).catch((error: unknown) => log.warn({ err: error }, "relax aging failed"));
  };
  reconcile();
  running.reconciler = setInterval(reconcile, 15_000);

  const worker = new Worker<TGpuJobData>(QUEUES.gpu, (job) => processGpuJob(job, context), {
    connection,
    prefix: config.REDIS_PREFIX,
    concurrency: 1,
    // Inference runs off this event loop, but a long job still needs a lock
    // that outlives a slow step; a stalled job is retried once, then failed.
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    maxStalledCount: 1,
  });
  running.worker = worker;
  worker.on("error", (error) => log.error({ err: error }, "worker error"));
  worker.on("failed", (job, error) => log.warn({ jobId: job?.id, err: error }, "job failed"));
  await worker.waitUntilReady();
  log.info({ provider: config.EXECUTION_PROVIDER, models, queue: QUEUES.gpu }, "worker ready");
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
