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

/** One place for the options every GPU job gets. */
export function gpuJobOptions(jobId: string, mode: TJobModeName): JobsOptions {
  return {
    // The row id doubles as the BullMQ id, so enqueueing twice while it waits is harmless.
    jobId,
    priority: MODE_PRIORITY[mode],
    attempts: 3,
    backoff: { type: "exponential", delay: 5_000, jitter: 0.5 },
    // Postgres holds the outcome; Redis keeps nothing once a job is done.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

export function createGpuQueue(connection: Redis, prefix: string): Queue<TGpuJobData> {
  return new Queue<TGpuJobData>(QUEUES.gpu, { connection, prefix });
}

export async function enqueueGpuJob(queue: Queue<TGpuJobData>, job: { id: string; mode: TJobModeName }): Promise<void> {
  await queue.add(GENERATE_JOB_NAME, { jobId: job.id }, gpuJobOptions(job.id, job.mode));
}

/** Redis pub/sub channel on which cancel requests reach the worker running the job. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:gpu:cancel`;
}
