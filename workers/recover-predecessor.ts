import { hostname } from "node:os";
import type { Db } from "@/lib/db/client";
import type { GpuQueues } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";
import { failJob, requeueJobs } from "@/lib/server/jobs/lifecycle";
import type { StorageTarget } from "@/lib/storage";
import { ABANDONED_JOB_MESSAGE } from "./abandoned-jobs";

/** The failure BullMQ records for such a job; "stalled" makes the abandoned-job sweep word it as a crash. */
const DIED_REASON = "job stalled: its worker process died and was restarted on the same host";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A worker that starts with the identity of one that died on this host (the
 * launcher restarts a crashed worker under the same WORKER_ID) knows, without
 * waiting for BullMQ's lock to expire, that the predecessor's running job is
 * orphaned: the job fails this attempt at once (its lock is moot) and goes
 * straight back to the queue, so it runs again within seconds instead of
 * after LOCK_DURATION_MS, and the row goes back to queued. A crash counts as an attempt, so a job that
 * kills its worker every time still ends failed. Workers on other hosts keep
 * the lock-expiry path: only a dead process on this host is certain.
 *
 * Call it before this process records its own heartbeat (which overwrites the
 * predecessor's pid).
 */
export async function recoverDeadPredecessor(
  deps: { db: Db; queues: GpuQueues; storage: StorageTarget; log: Logger },
  workerId: string,
): Promise<number> {
  const { db, queues, log } = deps;
  const previous = await db.workerHeartbeat.findUnique({ where: { id: workerId }, select: { host: true, pid: true, stoppedAt: true } });
  // A clean stop already handed its job back; another host's process cannot be checked from here.
  if (!previous || previous.stoppedAt || previous.host !== hostname() || previous.pid === process.pid || isAlive(previous.pid)) return 0;
  const orphans = await db.job.findMany({ where: { status: "running", workerId }, select: { id: true, userId: true, modelId: true } });
  let recovered = 0;
  for (const row of orphans) {
    const job = await queues.getJob(row.id, row.modelId);
    if (!job || (await job.getState()) !== "active") continue;
    // Token "0" moves a job whose lock belongs to a process that no longer exists.
    await job.moveToFailed(new Error(DIED_REASON), "0");
    const state = await job.getState();
    // The retry backoff is for faults that may persist; a dead process is gone, so run it now.
    if (state === "delayed") await job.promote();
    if (state === "failed") {
      await failJob(db, row, { message: ABANDONED_JOB_MESSAGE, note: "failed: worker crashed on every attempt" }, { storage: deps.storage, log });
    } else {
      await requeueJobs(db, [row.id], "The GPU worker stopped unexpectedly; the job will be retried shortly.");
    }
    recovered += 1;
  }
  if (recovered > 0) log.warn({ workerId, predecessorPid: previous.pid, recovered }, "released the jobs of this worker's dead predecessor; they are retried now");
  return recovered;
}
