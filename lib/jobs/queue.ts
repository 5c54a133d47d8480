import { Queue, QueueEventsProducer, type Job, type JobsOptions, type JobType } from "bullmq";
import type { Redis } from "ioredis";
import type { TJobMode } from "./model";

/** BullMQ payload: ids only (Redis stores it in clear text); the worker re-reads Postgres. */
export interface TGpuJobData {
  jobId: string;
}

/**
 * Queue task names: what a BullMQ job on a model queue asks a worker to do.
 * The worker's dispatch (workers/process-gpu-job.ts) is typed over this list,
 * so a task without a handler does not compile.
 */
export const GPU_TASKS = { generate: "generate", personalizationPool: "personalization-pool", describe: "describe" } as const;
export type TGpuTask = (typeof GPU_TASKS)[keyof typeof GPU_TASKS];
export const GENERATE_JOB_NAME = GPU_TASKS.generate;

/**
 * The custom event on a model queue's event stream that asks the worker
 * running a job to stop it (BullMQ's `Worker.cancelJob` aborts the
 * processor's signal). A stream, unlike pub/sub, keeps the request while a
 * worker's reader reconnects.
 */
export const CANCEL_EVENT = "cancel-requested";
/** The queue events stream is trimmed to about this many entries (BullMQ's default). */
const MAX_QUEUE_EVENTS = 10_000;

/**
 * Priority bands (lower runs sooner; BullMQ's "no priority" would beat all of
 * them, so every job gets one): Turbo before Fast before Relax.
 */
export const MODE_PRIORITY: Record<TJobMode, number> = { turbo: 1, fast: 1_000, relax: 100_000 };
export type TJobModeName = TJobMode;

/** Relax jobs wait longer than this before they are moved up into the Fast band. */
export const RELAX_AGING_MS = 10 * 60_000;
/** The Fast band's lowest priority: where aged Relax jobs go. */
export const AGED_RELAX_PRIORITY = 9_999;

/**
 * Within Relax, users who used less Relax time this period go first
 * (Midjourney's usage-based Relax queue); BullMQ's cap is 2 097 151.
 */
export function priorityFor(mode: TJobModeName, relaxMinutes = 0): number {
  return mode === "relax" ? Math.min(MODE_PRIORITY.relax + relaxMinutes, 2_000_000) : MODE_PRIORITY[mode];
}

/** One place for the options every GPU job gets. */
export function gpuJobOptions(jobId: string, mode: TJobModeName, relaxMinutes = 0): JobsOptions {
  return {
    // The row id doubles as the BullMQ id, so enqueueing twice while it waits is harmless.
    jobId,
    priority: priorityFor(mode, relaxMinutes),
    attempts: 3,
    backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
    // Postgres holds the outcome; Redis keeps nothing once a job is done.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/**
 * One queue per model (`gpu.<modelId>`): a worker consumes the queues of the
 * models it has loaded, so a job only ever reaches a worker that can run it.
 * Priorities (Turbo/Fast/Relax, Relax usage order) apply within each queue.
 */
export function gpuQueueName(modelId: string): string {
  if (!/^[\w.-]+$/.test(modelId)) throw new Error(`not a model id: ${JSON.stringify(modelId)}`);
  return `gpu.${modelId}`;
}

/** The model queues of one process, opened on first use over one connection. */
export interface GpuQueues {
  forModel(modelId: string): Queue<TGpuJobData>;
  /** The BullMQ job of a job row (its id), in the queue of the row's model. */
  getJob(jobId: string, modelId: string): Promise<Job<TGpuJobData> | undefined>;
  /** Asks the worker running this job (of this model) to stop it. */
  requestCancel(jobId: string, modelId: string): Promise<void>;
  /** Job counts summed over every model queue opened in this process. */
  getJobCounts(types: JobType[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function createGpuQueues(connection: Redis, prefix: string): GpuQueues {
  const queues = new Map<string, Queue<TGpuJobData>>();
  const producers = new Map<string, QueueEventsProducer>();
  const forModel = (modelId: string) => {
    let queue = queues.get(modelId);
    if (!queue) {
      queue = new Queue<TGpuJobData>(gpuQueueName(modelId), { connection, prefix });
      // Connection drops are expected (Redis restarts) and surface where the queue
      // is used (enqueue falls back to the reconciler); without a listener BullMQ
      // would print every reconnect attempt.
      queue.on("error", () => undefined);
      queues.set(modelId, queue);
    }
    return queue;
  };
  return {
    forModel,
    getJob: (jobId, modelId) => forModel(modelId).getJob(jobId),
    async requestCancel(jobId, modelId) {
      let producer = producers.get(modelId);
      if (!producer) {
        producer = new QueueEventsProducer(gpuQueueName(modelId), { connection, prefix });
        producer.on("error", () => undefined);
        producers.set(modelId, producer);
      }
      await producer.publishEvent({ eventName: CANCEL_EVENT, jobId }, MAX_QUEUE_EVENTS);
    },
    async getJobCounts(types) {
      const totals: Record<string, number> = Object.fromEntries(types.map((type) => [type, 0]));
      for (const queue of queues.values()) {
        const counts = await queue.getJobCounts(...types);
        for (const [type, count] of Object.entries(counts)) totals[type] = (totals[type] ?? 0) + count;
      }
      return totals;
    },
    async close() {
      await Promise.allSettled([...queues.values(), ...producers.values()].map((queue) => queue.close()));
      queues.clear();
      producers.clear();
    },
  };
}

export async function enqueueGpuJob(
  queues: GpuQueues,
  job: { id: string; mode: TJobModeName; modelId: string; relaxMinutes?: number },
): Promise<void> {
  await queues.forModel(job.modelId).add(GENERATE_JOB_NAME, { jobId: job.id }, gpuJobOptions(job.id, job.mode, job.relaxMinutes));
}
