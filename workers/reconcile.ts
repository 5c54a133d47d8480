import type { Queue } from "bullmq";
import type { Db } from "@/lib/db/client";
import { AGED_RELAX_PRIORITY, enqueueGpuJob, RELAX_AGING_MS, type TGpuJobData } from "@/lib/jobs/queue";
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

/**
 * Relax jobs wait behind all Fast work; one that has waited longer than
 * RELAX_AGING_MS moves to the bottom of the Fast band so none starves.
 */
export async function ageRelaxJobs(db: Db, queue: Queue<TGpuJobData>, log: Logger): Promise<number> {
  const rows = await db.job.findMany({
    where: { status: "queued", mode: "relax", createdAt: { lt: new Date(Date.now() - RELAX_AGING_MS) } },
    take: 200,
    select: { id: true },
  });
  let aged = 0;
  for (const row of rows) {
    const job = await queue.getJob(row.id);
    if (!job || job.opts.priority === AGED_RELAX_PRIORITY) continue;
    const state = await job.getState();
    if (state !== "prioritized" && state !== "waiting") continue;
    await job.changePriority({ priority: AGED_RELAX_PRIORITY });
    aged += 1;
  }
  if (aged > 0) log.info({ aged }, "aged waiting Relax jobs into the Fast band");
  return aged;
}
