import { AppError } from "@/lib/errors";
import type { TJobView } from "@/lib/schemas/jobs";
import type { JobContext } from "./context";
import { cancelJobRow } from "./lifecycle";
import { getJobForUser } from "./read-jobs";

/**
 * Cancels one of the user's jobs. A queued job leaves the queue at once and
 * costs nothing; a running one is marked cancelled and its worker, told
 * through its queue's event stream, aborts the job between two denoising
 * steps, discards what it made and charges the GPU time used until then.
 */
export async function cancelJob(context: JobContext, userId: string, jobId: string): Promise<TJobView> {
  const cancelledFrom = await cancelJobRow(context.db, { id: jobId, userId });
  if (!cancelledFrom) {
    const job = await getJobForUser(context.db, userId, jobId);
    throw new AppError("CONFLICT", `The job is already ${job.status}; only queued or running jobs can be cancelled.`);
  }
  const { modelId } = await context.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { modelId: true } });
  const queued = await context.queue.getJob(jobId, modelId);
  const state = queued ? await queued.getState() : null;
  if (queued && state !== "active") await queued.remove().catch(() => undefined);
  if (state === "active") await context.queue.requestCancel(jobId, modelId);
  return getJobForUser(context.db, userId, jobId);
}
