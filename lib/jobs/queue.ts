import { Queue, type JobsOptions } from "bullmq";
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

export function createGpuQueue(connection: Redis, prefix: string): Queue<TGpuJobData> {
  const queue = new Queue<TGpuJobData>(QUEUES.gpu, { connection, prefix });
  // Connection drops are expected (Redis restarts) and surface where the queue
  // is used (enqueue falls back to the reconciler); without a listener BullMQ
  // would print every reconnect attempt.
  queue.on("error", () => undefined);
  return queue;
}

export async function enqueueGpuJob(queue: Queue<TGpuJobData>, job: { id: string; mode: TJobModeName; relaxMinutes?: number }): Promise<void> {
  await queue.add(GENERATE_JOB_NAME, { jobId: job.id }, gpuJobOptions(job.id, job.mode, job.relaxMinutes));
}

/** Redis pub/sub channel on which cancel requests reach the worker running the job. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:gpu:cancel`;
}
