import { UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "@/lib/log";

/**
 * Routes a job from the `gpu` queue to its handler. Job kinds are added by the
 * features that create them; a job whose name has no handler is a permanent
 * failure (retrying cannot help), reported as such.
 */
const HANDLERS: Record<string, (job: Job, context: { log: Logger }) => Promise<unknown>> = {};

export async function processGpuJob(job: Job, context: { log: Logger }): Promise<unknown> {
  const handler = HANDLERS[job.name];
  if (!handler) throw new UnrecoverableError(`This worker has no handler for "${job.name}" jobs; upgrade the worker.`);
  return handler(job, context);
}
