import { AppError } from "@/lib/errors";
import { cancelChannel } from "@/lib/jobs/queue";
import { releaseJob } from "@/lib/server/accounting/ledger";
import type { TJobView } from "@/lib/schemas/jobs";
import type { JobContext } from "./context";
import { getJobForUser } from "./read-jobs";

/**
 * Cancels one of the user's jobs. A queued job leaves the queue at once; a
 * running one is marked cancelled and its worker, told over pub/sub, stops
 * between two denoising steps and discards what it made.
 */
export async function cancelJob(context: JobContext, userId: string, jobId: string): Promise<TJobView> {
  const count = await context.db.$transaction(async (tx) => {
    const updated = await tx.job.updateMany({
      where: { id: jobId, userId, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", finishedAt: new Date(), error: "Cancelled." },
    });
    // Nothing is charged for a cancelled job; its reservation is returned.
    if (updated.count === 1) await releaseJob(tx, { userId, jobId, note: "cancelled" });
    return updated.count;
  });
  if (count === 0) {
    const job = await getJobForUser(context.db, userId, jobId);
    throw new AppError("CONFLICT", `The job is already ${job.status}; only queued or running jobs can be cancelled.`);
  }
  const { modelId } = await context.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { modelId: true } });
  const queued = await context.queue.getJob(jobId, modelId);
  const state = queued ? await queued.getState() : null;
  if (queued && state !== "active") await queued.remove().catch(() => undefined);
  if (state === "active") await context.redis.publish(cancelChannel(context.redisPrefix), jobId);
  return getJobForUser(context.db, userId, jobId);
}
