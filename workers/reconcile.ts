import type { Queue } from "bullmq";
import type { Db } from "@/lib/db/client";
import { enqueueGpuJob, type TGpuJobData } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

/** A queued row older than this with no BullMQ job was never enqueued (Redis was down). */
const GRACE_MS = 10_000;

/**
 * The outbox half of "accepting work never depends on Redis": queued rows
 * with no job in Redis are enqueued again. Enqueueing is idempotent (the row
 * id is the BullMQ id), so several workers may run this at once.
 */
export async function reconcileQueuedJobs(db: Db, queue: Queue<TGpuJobData>, log: Logger): Promise<number> {
  const rows = await db.job.findMany({
    where: { status: "queued", createdAt: { lt: new Date(Date.now() - GRACE_MS) } },
    orderBy: { createdAt: "asc" },
    take: 200,
    select: { id: true, mode: true },
  });
  let enqueued = 0;
  for (const row of rows) {
    if (await queue.getJob(row.id)) continue;
    await enqueueGpuJob(queue, row);
    enqueued += 1;
  }
  if (enqueued > 0) log.info({ enqueued }, "re-enqueued queued jobs missing from Redis");
  return enqueued;
}
