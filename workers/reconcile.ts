import type { Db } from "@/lib/db/client";
import { AGED_RELAX_PRIORITY, enqueueGpuJob, RELAX_AGING_MS, type GpuQueues } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

/** A queued row older than this with no BullMQ job was never enqueued (Redis was down). */
const GRACE_MS = 10_000;

/**
 * The outbox half of "accepting work never depends on Redis": queued rows
 * with no job in Redis are enqueued again. Enqueueing is idempotent (the row
 * id is the BullMQ id), so several workers may run this at once. Each row
 * goes to its model's queue, whichever models this worker serves: a job for a
 * model no worker has waits there until one that has it starts.
 */
export async function reconcileQueuedJobs(db: Db, queues: GpuQueues, log: Logger): Promise<number> {
  const rows = await db.job.findMany({
    where: { status: "queued", createdAt: { lt: new Date(Date.now() - GRACE_MS) } },
    orderBy: { createdAt: "asc" },
    take: 200,
    select: { id: true, mode: true, modelId: true },
  });
  let enqueued = 0;
  for (const row of rows) {
    if (await queues.getJob(row.id, row.modelId)) continue;
    await enqueueGpuJob(queues, row);
    enqueued += 1;
  }
  if (enqueued > 0) log.info({ enqueued }, "re-enqueued queued jobs missing from Redis");
  return enqueued;
}

/**
 * Relax jobs wait behind all Fast work; one that has waited longer than
 * RELAX_AGING_MS moves to the bottom of the Fast band so none starves.
 */
export async function ageRelaxJobs(db: Db, queues: GpuQueues, log: Logger): Promise<number> {
  const rows = await db.job.findMany({
    where: { status: "queued", mode: "relax", createdAt: { lt: new Date(Date.now() - RELAX_AGING_MS) } },
    take: 200,
    select: { id: true, modelId: true },
  });
  let aged = 0;
  for (const row of rows) {
    const job = await queues.getJob(row.id, row.modelId);
    if (!job || job.opts.priority === AGED_RELAX_PRIORITY) continue;
    const state = await job.getState();
    if (state !== "prioritized" && state !== "waiting") continue;
    await job.changePriority({ priority: AGED_RELAX_PRIORITY });
    aged += 1;
  }
  if (aged > 0) log.info({ aged }, "aged waiting Relax jobs into the Fast band");
  return aged;
}
