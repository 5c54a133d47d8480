import { UnrecoverableError, type Job } from "bullmq";
import { GPU_TASKS, type TGpuJobData, type TGpuTask } from "@/lib/jobs/queue";
import type { GpuContext } from "./gpu-context";
import { handleDescribe } from "./handlers/describe";
import { handleGenerate } from "./handlers/generate";
import { handlePersonalizationPool } from "./handlers/personalization-pool";

type Handler = (job: Job<TGpuJobData>, context: GpuContext, signal: AbortSignal) => Promise<unknown>;

/**
 * Routes a job from a model queue to its handler, by task name. The table is
 * typed over every task in GPU_TASKS, so a task without a handler does not
 * compile; a name no task has (an older or newer studio) is a permanent
 * failure, reported as such.
 */
const HANDLERS: Record<TGpuTask, Handler> = {
  [GPU_TASKS.generate]: handleGenerate,
  [GPU_TASKS.personalizationPool]: handlePersonalizationPool,
  [GPU_TASKS.describe]: handleDescribe,
};

function isTask(name: string): name is TGpuTask {
  return Object.hasOwn(HANDLERS, name);
}

export async function processGpuJob(job: Job<TGpuJobData>, context: GpuContext, signal: AbortSignal): Promise<unknown> {
  if (!isTask(job.name)) throw new UnrecoverableError(`This worker has no handler for "${job.name}" jobs; upgrade the worker.`);
  return HANDLERS[job.name](job, context, signal);
}
