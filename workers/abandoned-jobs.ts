import type { Db } from "@/lib/db/client";
import type { GpuQueues } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/model";
import { failJob, requeueJobs } from "@/lib/server/jobs/lifecycle";
import { releaseJob } from "@/lib/server/accounting/ledger";
import type { StorageTarget } from "@/lib/storage";

/** What the user reads about a job that kept taking its worker down. */
export const ABANDONED_JOB_MESSAGE =
  "Generation stopped: it crashed the GPU worker on every attempt. Try different settings; if it keeps happening, tell an admin.";
/** What the user reads about a job whose last attempt could not record its own failure (the database was unreachable). */
export const UNRECORDED_FAILURE_MESSAGE =
  "Generation failed after several attempts (the studio's database was unreachable meanwhile). Try again; if it keeps failing, tell an admin.";

/**
 * Jobs BullMQ gave up on while their rows still say queued or running: a job
 * whose worker died on every attempt (a poison prompt crashing onnxruntime,
 * OOM kills) is failed by BullMQ's stalled-job check inside Redis ("stalled
 * more than allowable limit"), so no handler ever marks its row; and a job
 * whose attempts all failed while Postgres was down could not mark its own
 * row either. Without this the row would stay `running` with its hold
 * forever. Each such row is failed with a message and its reservation
 * returned, once (the update is conditional), and any image files an
 * attempt wrote before it was interrupted are removed (they have no rows).
 */
export async function failAbandonedJobs(db: Db, queues: GpuQueues, storage: StorageTarget, log: Logger): Promise<number> {
  const rows = await db.job.findMany({
    where: { status: { in: [...ACTIVE_JOB_STATUSES] } },
    orderBy: { createdAt: "asc" },
    take: 200,
    select: { id: true, userId: true, modelId: true },
  });
  let failed = 0;
  for (const row of rows) {
    const job = await queues.getJob(row.id, row.modelId);
    if (!job || (await job.getState()) !== "failed") continue;
    const crashed = /stalled/i.test(job.failedReason ?? "");
    const done = await failJob(
      db,
      { id: row.id, userId: row.userId },
      crashed
        ? { message: ABANDONED_JOB_MESSAGE, note: "failed: worker crashed on every attempt" }
        : { message: UNRECORDED_FAILURE_MESSAGE, note: "failed: attempts exhausted" },
      { storage, log },
    );
    if (done) {
      failed += 1;
      log.warn({ jobId: row.id, reason: job.failedReason }, "job failed by BullMQ without its row being marked; failed it and returned the hold");
    }
  }
  return failed;
}

/**
 * SIGTERM's deadline passed with jobs still running here: their rows go back
 * to `queued` (what the user sees: waiting to be retried) instead of claiming
 * to run on a worker that is gone. BullMQ hands each job to another worker
 * once its lock expires; the handler starts again from `queued`.
 */
export async function requeueInterruptedJobs(db: Db, jobIds: string[], log: Logger): Promise<void> {
  if (jobIds.length === 0) return;
  const count = await requeueJobs(db, jobIds, "The GPU worker was stopped; the job will be retried shortly.");
  log.warn({ jobIds, requeued: count }, "shutdown deadline reached with jobs running; they go back to the queue");
}

/** A running job's worker reports the GPU time a cancel left it within seconds; after this, it never will. */
const CANCEL_SETTLE_GRACE_MS = 2 * 60_000;

/**
 * Jobs cancelled while running whose worker never charged the time they used
 * (it crashed, or the attempt was between retries): their holds are returned
 * so the user's balance is not reserved forever.
 */
export async function releaseUnsettledCancels(db: Db, log: Logger): Promise<number> {
  const rows = await db.$queryRaw<Array<{ id: string; userId: string }>>`
    SELECT j.id, j."userId" FROM job j
    WHERE j.status = 'cancelled' AND j."finishedAt" < ${new Date(Date.now() - CANCEL_SETTLE_GRACE_MS)}
      AND EXISTS (SELECT 1 FROM ledger_entry h WHERE h."jobId" = j.id AND h.kind = 'hold')
      AND NOT EXISTS (SELECT 1 FROM ledger_entry e WHERE e."jobId" = j.id AND e.kind IN ('settle', 'release'))
    LIMIT 200`;
  for (const row of rows) {
    await db.$transaction((tx) => releaseJob(tx, { userId: row.userId, jobId: row.id, note: "cancelled: its worker never reported the time used" }));
  }
  if (rows.length > 0) log.warn({ released: rows.length }, "returned the holds of cancelled jobs whose workers never reported");
  return rows.length;
}
