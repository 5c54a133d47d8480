/**
 * The describe task on a model queue (`gpu.<model>`): the web process asks,
 * the worker that has the model loaded answers with four prompts
 * (docs/describe.md §5). Shared by both sides; zod only, no I/O.
 */
import { z } from "zod";
import type { JobsOptions } from "bullmq";
import { GPU_TASKS } from "@/lib/jobs/queue";

export const DESCRIBE_TASK = GPU_TASKS.describe;

/** Ids and a storage key only (Redis keeps payloads in clear text); the worker reads the file itself. */
export const ZDescribeTaskData = z.strictObject({
  jobId: z.string().regex(/^describe-[\w-]{1,100}$/),
  model: z.string().regex(/^[\w.-]{1,100}$/),
  storageKey: z.string().min(1).max(512),
  /** The model's trained size nearest the image's shape: the image is resized (cover) to it first. */
  width: z.number().int().positive().max(2048),
  height: z.number().int().positive().max(2048),
});
export type TDescribeTaskData = z.infer<typeof ZDescribeTaskData>;

/** What the worker returns; checked again by the web process (a result crossing a process boundary). */
export const ZDescribeTaskResult = z.strictObject({ prompts: z.array(z.string().min(1).max(1000)).length(4) });
export type TDescribeTaskResult = z.infer<typeof ZDescribeTaskResult>;

/** How long the finished task (its result) stays in Redis for the waiting request to read. */
const RESULT_TTL_S = 120;

/**
 * A describe is milliseconds of work that a person is waiting for, so it goes
 * ahead of image jobs (the Turbo band), is not retried (the request would
 * have given up), and its result is dropped from Redis soon after.
 */
export function describeJobOptions(jobId: string): JobsOptions {
  return { jobId, priority: 1, attempts: 1, removeOnComplete: { age: RESULT_TTL_S }, removeOnFail: { age: RESULT_TTL_S } };
}
