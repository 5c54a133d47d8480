import { Queue, type Job, type JobsOptions, type JobType } from "bullmq";
import type { Redis } from "ioredis";
import { QUEUES } from "@/lib/queue/queues";

/** BullMQ payload: ids only (Redis stores it in clear text); the worker re-reads Postgres. */
export interface TGpuJobData {
  jobId: string;
}

export const GENERATE_JOB_NAME = "generate";

/**
 * Priority bands (lower runs sooner; BullMQ's "no priority" would beat all of
 * them, so every job gets one): Turbo before Fast before Relax.
 */
export const MODE_PRIORITY = { turbo: 1, fast: 1_000, relax: 100_000 } as const;
export type TJobModeName = keyof typeof MODE_PRIORITY;

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
  return `${QUEUES.gpu}.${modelId}`;
}

/** The model queues of one process, opened on first use over one connection. */
export interface GpuQueues {
  forModel(modelId: string): Queue<TGpuJobData>;
  /** The BullMQ job of a job row (its id), in the queue of the row's model. */
  getJob(jobId: string, modelId: string): Promise<Job<TGpuJobData> | undefined>;
  /** Job counts summed over every model queue opened in this process. */
  getJobCounts(types: JobType[]): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function createGpuQueues(connection: Redis, prefix: string): GpuQueues {
  const queues = new Map<string, Queue<TGpuJobData>>();
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
    async getJobCounts(types) {
      const totals: Record<string, number> = Object.fromEntries(types.map((type) => [type, 0]));
      for (const queue of queues.values()) {
        const counts = await queue.getJobCounts(...types);
        for (const [type, count] of Object.entries(counts)) totals[type] = (totals[type] ?? 0) + count;
      }
      return totals;
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
      queues.clear();
    },
  };
}

export async function enqueueGpuJob(
  queues: GpuQueues,
  job: { id: string; mode: TJobModeName; modelId: string; relaxMinutes?: number },
): Promise<void> {
  await queues.forModel(job.modelId).add(GENERATE_JOB_NAME, { jobId: job.id }, gpuJobOptions(job.id, job.mode, job.relaxMinutes));
}

/** Redis pub/sub channel on which cancel requests reach the worker running the job. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:gpu:cancel`;
}
