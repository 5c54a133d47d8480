import { enqueueGpuJob, type TJobModeName } from "@/lib/jobs/queue";
import { whenRedisReady } from "@/lib/redis";
import type { JobContext } from "./context";

/**
 * Hands accepted jobs to the queue of their model (only workers that have
 * loaded that model consume it). The rows are already committed, so if
 * Redis is down the jobs stay `queued` and the worker's reconciler enqueues
 * them once Redis is back: accepting work never depends on Redis.
 */
export async function enqueueAccepted(context: JobContext, jobs: Array<{ id: string; mode: TJobModeName; modelId: string; relaxMinutes?: number }>): Promise<void> {
  const ready = await whenRedisReady(context.redis).then(() => true, () => false);
  if (!ready) {
    context.log.warn({ jobs: jobs.length }, "Redis unreachable; jobs stay queued for the reconciler");
    return;
  }
  for (const job of jobs) {
    await enqueueGpuJob(context.queue, job).catch((error: unknown) =>
      context.log.warn({ err: error, jobId: job.id }, "enqueue failed; the reconciler will retry"),
    );
  }
}
