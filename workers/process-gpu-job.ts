import { UnrecoverableError, type Job } from "bullmq";
import { GENERATE_JOB_NAME, type TGpuJobData } from "@/lib/jobs/queue";
import type { GpuContext } from "./gpu-context";
import { handleGenerate } from "./handlers/generate";
import { handlePersonalizationPool } from "./handlers/personalization-pool";
import { POOL_JOB_NAME } from "@/lib/server/personalization/pool";

/**
 * Routes a job from the `gpu` queue to its handler. A job whose name has no
 * handler is a permanent failure (retrying cannot help), reported as such.
 */
const HANDLERS: Record<string, (job: Job<TGpuJobData>, context: GpuContext) => Promise<unknown>> = {
  [GENERATE_JOB_NAME]: handleGenerate,
  [POOL_JOB_NAME]: handlePersonalizationPool,
};

export async function processGpuJob(job: Job<TGpuJobData>, context: GpuContext): Promise<unknown> {
  const handler = HANDLERS[job.name];
  if (!handler) throw new UnrecoverableError(`This worker has no handler for "${job.name}" jobs; upgrade the worker.`);
  return handler(job, context);
}
