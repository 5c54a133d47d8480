import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Db } from "@/lib/db/client";
import type { GpuQueues } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";
import { purgeDeletedImages } from "@/lib/server/gallery/purge-deleted";
import type { StorageTarget } from "@/lib/storage";
import { failAbandonedJobs, releaseUnsettledCancels } from "./abandoned-jobs";
import { ageRelaxJobs, reconcileQueuedJobs } from "./reconcile";

/** The queue that carries the studio's periodic sweeps. */
export const MAINTENANCE_QUEUE = "maintenance";

/** How often each sweep runs (MAINTENANCE_INTERVAL_MS in tests that need it faster). */
const DEFAULT_INTERVAL_MS = 15_000;

export interface MaintenanceDeps {
  db: Db;
  queues: GpuQueues;
  storage: StorageTarget;
  log: Logger;
}

/** The sweeps, by scheduler id; each is safe to run at any time and returns how many rows it touched. */
const SWEEPS: Record<string, (deps: MaintenanceDeps) => Promise<number>> = {
  // The outbox half of "accepting work never depends on Redis".
  "reconcile-queued": ({ db, queues, log }) => reconcileQueuedJobs(db, queues, log),
  "age-relax": ({ db, queues, log }) => ageRelaxJobs(db, queues, log),
  "fail-abandoned": ({ db, queues, storage, log }) => failAbandonedJobs(db, queues, storage, log),
  "release-unsettled-cancels": ({ db, log }) => releaseUnsettledCancels(db, log),
  "purge-deleted": ({ db, storage }) => purgeDeletedImages(db, storage),
};

/**
 * Periodic sweeps as BullMQ job schedulers on one maintenance queue: the
 * scheduler makes one job per interval for the whole cluster, and whichever
 * worker process is free takes it, so each sweep runs once per interval
 * however many GPU workers there are (each used to run all of them on its own
 * timer). Upserting the schedulers is idempotent, so every worker does it at
 * start; the sweeps themselves are conditional updates, safe to overlap.
 */
export async function startMaintenance(options: MaintenanceDeps & { connection: Redis; prefix: string; intervalMs?: number }) {
  const every = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const queue = new Queue(MAINTENANCE_QUEUE, { connection: options.connection, prefix: options.prefix });
  queue.on("error", () => undefined);
  for (const name of Object.keys(SWEEPS)) {
    await queue.upsertJobScheduler(name, { every }, { name, opts: { removeOnComplete: true, removeOnFail: 50 } });
  }
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      const sweep = SWEEPS[job.name];
      // A scheduler left by another version of the studio: nothing to do here.
      if (!sweep) return 0;
      return sweep(options);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on("error", (error) => options.log.warn({ err: error }, "maintenance worker error"));
  worker.on("failed", (job, error) => options.log.warn({ sweep: job?.name, err: error }, "maintenance sweep failed"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
