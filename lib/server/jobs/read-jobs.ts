import { AppError } from "@/lib/errors";
import type { TJobView } from "@/lib/schemas/jobs";
import type { Db } from "@/lib/db/client";
import { JOB_VIEW_SELECT, toJobView } from "./job-view";

/**
 * One of the user's jobs (another user's reads as not found), with the model
 * queue its events come from, in one statement: a job stream's first read.
 */
export async function getJobAndQueueForUser(db: Db, userId: string, jobId: string): Promise<{ job: TJobView; modelId: string }> {
  const row = await db.job.findFirst({ where: { id: jobId, userId }, select: { ...JOB_VIEW_SELECT, modelId: true } });
  if (!row) throw new AppError("NOT_FOUND", "No such job.");
  return { job: toJobView(row), modelId: row.modelId };
}

/** One of the user's jobs; another user's reads as not found. */
export async function getJobForUser(db: Db, userId: string, jobId: string): Promise<TJobView> {
  return (await getJobAndQueueForUser(db, userId, jobId)).job;
}

/** The user's jobs, newest first, by keyset on the (time-ordered) UUIDv7 id. */
export async function listJobsForUser(db: Db, userId: string, options: { cursor?: string; limit: number }) {
  const rows = await db.job.findMany({
    where: { userId, ...(options.cursor ? { id: { lt: options.cursor } } : {}) },
    orderBy: { id: "desc" },
    take: options.limit + 1,
    select: JOB_VIEW_SELECT,
  });
  const page = rows.slice(0, options.limit);
  return { jobs: page.map(toJobView), nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}
