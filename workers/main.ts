import { hostname } from "node:os";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { loadWorkerConfig } from "@/lib/config/worker";
import { ConfigError } from "@/lib/config/parse-env";
import { createDb } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { markWorkerStopped, recordWorkerHeartbeat } from "@/lib/server/workers";
import { createDiffusionRunner } from "@/lib/diffusion";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createImageStore } from "@/lib/storage";
import type { GpuContext } from "./gpu-context";
import { createPreviewPublisher } from "./job-previews";
import { JOB_FINISHED_MESSAGE, jobChannel } from "@/lib/jobs/job-channel";
import { processGpuJob } from "./process-gpu-job";
import { createModelWorkers } from "./model-workers";
import { requeueInterruptedJobs } from "./abandoned-jobs";
import { startMaintenance } from "./maintenance";
import { recoverDeadPredecessor } from "./recover-predecessor";

/**
 * A GPU worker process (`npm run worker -- --device N`, one per GPU): loads
 * its models (WORKER_MODELS, or every model under MODELS_DIR), consumes the
 * queue of each model once it has loaded (`gpu.<modelId>`), one job at a time,
 * writes images through the configured storage driver, reports a heartbeat
 * (id, host, provider, device, loaded models) to Postgres, and on
 * SIGTERM/SIGINT lets the running job finish within SHUTDOWN_DEADLINE_MS.
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
  const config = loadWorkerConfig(process.env, process.argv.slice(2));
  const log = createLogger("worker", config.LOG_LEVEL).child({ workerId: config.workerId });
  const db = createDb(config.DATABASE_URL, { max: 4 });
  const connection = createRedis(config.REDIS_URL, "worker");
  const installed = await discoverModels(config.MODELS_DIR);
  const missing = (config.WORKER_MODELS ?? []).filter((model) => !installed.includes(model));
  if (missing.length > 0) {
    throw new ConfigError(`Invalid worker configuration — WORKER_MODELS: ${missing.join(", ")} not found under MODELS_DIR (${config.MODELS_DIR}); installed: ${installed.join(", ") || "none"}.`);
  }
  const models = config.WORKER_MODELS ?? installed;
  const startedAt = new Date();
  const runner = createDiffusionRunner({
    provider: config.EXECUTION_PROVIDER,
    deviceId: config.DEVICE,
    previews: config.LIVE_PREVIEWS,
    onWarning: (message) => log.warn({ provider: config.EXECUTION_PROVIDER }, message),
  });
  const context: GpuContext = {
    db,
    runner,
    modelsDir: config.MODELS_DIR,
    storage: createImageStore(config),
    workerId: config.workerId,
    log,
    ...(config.LIVE_PREVIEWS && { publishPreview: createPreviewPublisher(connection, config.REDIS_PREFIX, log) }),
    announceFinished: (jobId) =>
      void connection.publish(jobChannel(config.REDIS_PREFIX, jobId), JOB_FINISHED_MESSAGE).catch((error: unknown) => log.debug({ err: error, jobId }, "could not announce a finished job")),
  };
  const queue = createGpuQueues(connection, config.REDIS_PREFIX);
  const consumers = createModelWorkers({
    connection,
    prefix: config.REDIS_PREFIX,
    lockDuration: config.LOCK_DURATION_MS,
    stalledInterval: config.STALLED_INTERVAL_MS,
    log,
    process: (job, signal) => processGpuJob(job, context, signal),
  });

  // The provider each loaded model actually got: CUDA falls back to the CPU when it cannot load.
  const loadedProviders = new Map<string, "cpu" | "cuda">();
  const advertisedProvider = () =>
    config.EXECUTION_PROVIDER === "cuda" && [...loadedProviders.values()].includes("cpu") ? "cuda (fell back to cpu)" : config.EXECUTION_PROVIDER;
  const beat = () =>
    recordWorkerHeartbeat(db, {
      id: config.workerId,
      host: hostname(),
      pid: process.pid,
      provider: advertisedProvider(),
      device: config.advertisedDevice,
      // Only models that loaded: what the Create page counts as served.
      models: consumers.models(),
      startedAt,
    }).catch((error: unknown) => log.warn({ err: error }, "heartbeat failed; will retry"));

  // Signals are handled from the first moment, so a stop during start-up is clean too.
  const running: { heartbeat?: NodeJS.Timeout; maintenance?: { close(): Promise<void> } } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, deadlineMs: config.SHUTDOWN_DEADLINE_MS }, "shutting down");
    clearInterval(running.heartbeat);
    await running.maintenance?.close().catch(() => undefined);
    const deadline = new Promise<"deadline">((resolve) => setTimeout(() => resolve("deadline"), config.SHUTDOWN_DEADLINE_MS).unref());
    const closed = consumers.close().then(() => "closed" as const);
    if ((await Promise.race([closed, deadline])) === "deadline") {
      log.warn("deadline reached with a job still running; it will be retried by another worker");
      await requeueInterruptedJobs(db, consumers.runningJobIds(), log).catch(() => undefined);
    }
    await markWorkerStopped(db, config.workerId).catch(() => undefined);
    await runner.close().catch(() => undefined);
    context.storage.close();
    await Promise.allSettled([db.$disconnect(), queue.close(), connection.quit()]);
    log.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  // Restarted after a crash (same WORKER_ID on this host): the job the dead process was
  // running is retried now instead of after its lock expires.
  await recoverDeadPredecessor({ db, queues: queue, storage: context.storage, log }, config.workerId).catch((error: unknown) =>
    log.warn({ err: error }, "could not release the dead predecessor's jobs; they are retried when their locks expire"),
  );
  await beat();
  if (stopping) return;
  running.heartbeat = setInterval(() => void beat(), config.HEARTBEAT_INTERVAL_MS);

  // Load and warm each model, then take its jobs: a job only reaches a worker
  // that has its model loaded. A model that fails to load is not served here.
  const loaded = models.map((model) =>
    runner.preload(path.join(config.MODELS_DIR, model)).then(
      async (info) => {
        if (stopping) return;
        loadedProviders.set(model, info.provider);
        if (info.provider !== config.EXECUTION_PROVIDER) log.warn({ model, provider: info.provider }, `model runs on ${info.provider}, not ${config.EXECUTION_PROVIDER}`);
        await consumers.add(model);
        log.info({ model }, "model loaded and warmed up; taking its jobs");
        await beat();
      },
      (error: unknown) => log.error({ model, err: error }, "model failed to load; this worker will not take its jobs"),
    ).catch((error: unknown) => log.error({ model, err: error }, "could not start taking this model's jobs")),
  );

  // The periodic sweeps (reconcile, Relax aging, abandoned jobs, purge) run once per
  // interval for the whole cluster, on whichever worker is free (workers/maintenance.ts).
  running.maintenance = await startMaintenance({ connection, prefix: config.REDIS_PREFIX, db, queues: queue, storage: context.storage, log, intervalMs: config.MAINTENANCE_INTERVAL_MS });
  if (stopping) await running.maintenance.close();

  await Promise.all(loaded);
  if (stopping) return;
  log.info(
    { provider: config.EXECUTION_PROVIDER, device: config.advertisedDevice, models: consumers.models(), queues: consumers.queueNames(), storage: context.storage.location },
    "worker ready",
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
