import type { Db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_JOB_STATUSES, type TJobMode, type TJobSource } from "@/lib/jobs/model";
import type { TJobParams, TJobType } from "@/lib/jobs/registry";
import type { Logger } from "@/lib/log";
import { uuid7 } from "@/lib/db/uuid7";
import { holdAmountMs, holdForJobs, releaseJob, settleJob } from "@/lib/server/accounting/ledger";
import { MODE_MULTIPLIER } from "@/lib/server/accounting/rates";
import { removeJobFiles, type StorageTarget } from "@/lib/storage";
import { JOB_VIEW_SELECT, type JobViewRow } from "./job-view";

/**
 * The job lifecycle: the only module that writes `job.status` (a unit test
 * enforces it). Each transition is a conditional update — it happens only
 * from the statuses it names, so two processes racing (a cancel against a
 * completion, two deliveries of one job) cannot both win — together with
 * its ledger move and its rule for the image files an attempt wrote:
 *
 *   accept    → queued      hold the estimate (or fall back to Relax)
 *   start     queued|running → running   (a retry starts again from running)
 *   progress  running       (no status change; what a reload shows)
 *   complete  running → completed   settle the measured GPU time, image rows
 *   retry     running → queued      attempt failed, BullMQ retries
 *   fail      queued|running → failed   release the hold; files removed
 *   cancel    queued → cancelled        release the hold
 *             running → cancelled       the worker charges the GPU time used; files removed
 *   requeue   running → queued      worker stopped at its deadline
 *   abandon   queued|running → failed   BullMQ gave up without the row being marked
 *   duplicate (no change)   another attempt completed it; its files are kept
 *
 * docs/jobs.md describes the states and who moves a job between them.
 */

type Tx = Prisma.TransactionClient;
const ACTIVE = [...ACTIVE_JOB_STATUSES];

/** What a new job row holds when it is accepted. */
export interface AcceptedJob {
  userId: string;
  type: TJobType;
  mode: TJobMode;
  prompt: string;
  recipe: Prisma.InputJsonValue;
  params: TJobParams;
  estimateKey: string;
  estimateMs: number;
  parentImageId: string | null;
  source: TJobSource;
}

/** A new row has no images yet: the view's columns without the image relation, so the insert can return them. */
const { images: _noImagesYet, ...JOB_ROW_SELECT } = JOB_VIEW_SELECT;

/** A balance a submission can draw from, locked by the caller: a team pool (teamId) or the user's own account (null). */
export interface FundingPool {
  teamId: string | null;
  availableMs: bigint;
}

/**
 * accept: writes a submission's queued rows and holds their estimated fast
 * time, in two statements however many jobs (the rows, then the holds with
 * their ledger rows; one more when a team pool funds some and the user's
 * own time the rest). The caller has locked the balances and passes what
 * each has left, in the order they are drawn from (a member's team pool
 * first): each job is held, in order, on the first that still fits it; one
 * that fits none runs in Relax when `fallBackToRelax` (nothing is held for
 * it), else nothing is written and `shortAt` names the first job that did
 * not fit.
 */
export async function acceptJobRows(
  tx: Tx,
  jobs: AcceptedJob[],
  options: { pools: FundingPool[]; fallBackToRelax: boolean },
): Promise<{ rows: JobViewRow[] } | { shortAt: number }> {
  const left = options.pools.map((pool) => pool.availableMs);
  const modes: TJobMode[] = [];
  /** Index into options.pools of each job's hold; -1 when nothing is held. */
  const funders: number[] = [];
  for (const [index, job] of jobs.entries()) {
    const amount = holdAmountMs(job.estimateMs, job.mode);
    const funder = amount === 0n ? -1 : left.findIndex((available) => amount <= available);
    if (amount === 0n || funder >= 0) {
      if (funder >= 0) left[funder]! -= amount;
      modes.push(job.mode);
      funders.push(funder);
    } else if (options.fallBackToRelax) {
      modes.push("relax");
      funders.push(-1);
    } else return { shortAt: index };
  }
  const data = jobs.map((job, index) => {
    const mode = modes[index]!;
    return {
      id: uuid7(),
      userId: job.userId,
      type: job.type,
      mode,
      status: "queued" as const,
      prompt: job.prompt,
      recipe: job.recipe,
      params: job.params,
      modelId: job.params.model,
      estimateKey: job.estimateKey,
      parentImageId: job.parentImageId,
      estimateMs: job.estimateMs,
      multiplier: MODE_MULTIPLIER[mode],
      source: job.source,
    };
  });
  const inserted = await tx.job.createManyAndReturn({ data, select: JOB_ROW_SELECT });
  const byId = new Map(inserted.map((row) => [row.id, row]));
  const rows = data.map((job) => ({ ...byId.get(job.id)!, images: [] }));
  const userId = jobs[0]?.userId;
  if (userId === undefined) return { rows };
  for (const [poolIndex, pool] of options.pools.entries()) {
    const funded = data.filter((_, index) => funders[index] === poolIndex);
    if (funded.length === 0) continue;
    const isHeld = await holdForJobs(tx, { userId, teamId: pool.teamId, jobs: funded.map((job) => ({ jobId: job.id, estimateMs: job.estimateMs, mode: job.mode })) });
    // The balance is locked and each hold was checked against what it had left, so this cannot fail unless that invariant broke.
    if (!isHeld) throw new Error("the holds of an accepted submission did not fit the locked balance");
  }
  return { rows };
}

/** What a worker needs of the job it starts. */
export interface StartedJob {
  userId: string;
  params: Prisma.JsonValue;
  mode: TJobMode;
  /** This attempt's number (1 for the first). */
  attempts: number;
}

/**
 * start: a job still waiting (or retrying) becomes running on this worker,
 * and what the worker needs of it comes back from the same statement; null
 * when it is not in progress any more (a cancel won the race, it completed,
 * or it was deleted).
 */
export async function startJob(db: Db, jobId: string, workerId: string): Promise<StartedJob | null> {
  const [row] = await db.job.updateManyAndReturn({
    where: { id: jobId, status: { in: ACTIVE } },
    data: { status: "running", attempts: { increment: 1 }, startedAt: new Date(), workerId, progress: 0, error: null },
    select: { userId: true, params: true, mode: true, attempts: true },
  });
  return row ?? null;
}

/** progress: stored for what a reload shows (live progress travels over BullMQ events). */
export async function recordJobProgress(db: Db, jobId: string, fraction: number): Promise<void> {
  await db.job.updateMany({ where: { id: jobId, status: "running" }, data: { progress: fraction } });
}

/** The attempt a completion also records in gpu_usage (the attempt's row, outcome "completed"). */
export interface CompletedAttempt {
  attempt: number;
  workerId: string;
  wallMs: number;
}

/**
 * complete: the running job becomes completed with its image rows, and is
 * charged its measured GPU time once (the settle row is unique per job).
 * False when it was not running any more (cancelled, or completed by another
 * delivery): then nothing is written and the caller decides about the files
 * with `settleLostAttempt`.
 *
 * Four statements in one transaction (bench/e2e counts them): the status
 * change, which locks the job row first as every other transition does (a
 * fixed lock order: job, then account); the account lock and the settle
 * (settleJob); then the charge on the row, the image rows and the attempt's
 * usage row together.
 *
 * `filesWritten`, when given, is awaited just before the commit: the worker
 * encodes and stores the image files while these statements run, instead of
 * before them, and the rows still become visible only with their files (a
 * rejection rolls everything back and is rethrown). Whatever happens, the
 * writing has finished when this returns or throws, so a caller that then
 * removes a failed job's files does not race the last of them.
 */
export async function completeJob(
  db: Db,
  job: { id: string; userId: string; mode: TJobMode },
  result: { gpuMs: number; wallMs: number; images: Prisma.ImageCreateManyInput[]; attempt?: CompletedAttempt; filesWritten?: Promise<unknown> },
): Promise<boolean> {
  // Observed from the start, so a write that fails while a statement is in flight is not an unhandled rejection.
  const filesSettled = result.filesWritten?.then(() => undefined, () => undefined);
  const images = JSON.stringify(
    result.images.map((image) => ({ ...image, id: image.id ?? uuid7(), seed: String(image.seed), isDraft: image.isDraft ?? false })),
  );
  const usage = JSON.stringify(result.attempt ? [{ id: uuid7(), ...result.attempt, gpuMs: result.gpuMs }] : []);
  return db.$transaction(
    async (tx) => {
      const { count } = await tx.job.updateMany({
        where: { id: job.id, status: "running" },
        data: { status: "completed", progress: 1, finishedAt: new Date(), wallMs: result.wallMs, gpuMs: { increment: result.gpuMs } },
      });
      if (count !== 1) {
        // Not ours to complete; the caller still decides about the files once they are written.
        await result.filesWritten;
        return false;
      }
      const charged = await settleJob(tx, { userId: job.userId, jobId: job.id, gpuMs: result.gpuMs, mode: job.mode });
      await tx.$executeRaw`
        WITH charged AS (
          UPDATE "job" SET "chargedMs" = COALESCE(${charged}::int, "chargedMs") WHERE "id" = ${job.id}),
        usage AS (
          INSERT INTO "gpu_usage" ("id", "jobId", "attempt", "workerId", "gpuMs", "wallMs", "outcome")
          SELECT u.id, ${job.id}, u.attempt, u."workerId", u."gpuMs", u."wallMs", 'completed'
            FROM jsonb_to_recordset(${usage}::jsonb) AS u(id text, attempt int, "workerId" text, "gpuMs" int, "wallMs" int)
          ON CONFLICT ("jobId", "attempt") DO NOTHING)
        INSERT INTO "image" ("id", "jobId", "userId", "index", "seed", "width", "height", "isDraft", "storageKey", "recipe")
        SELECT i.id, i."jobId", i."userId", i."index", i.seed, i.width, i.height, i."isDraft", i."storageKey", i.recipe
          FROM jsonb_to_recordset(${images}::jsonb)
            AS i(id text, "jobId" text, "userId" text, "index" int, seed bigint, width int, height int, "isDraft" boolean, "storageKey" text, recipe jsonb)
        ON CONFLICT ("jobId", "index") DO NOTHING`;
      await result.filesWritten;
      return true;
    },
    { timeout: 15_000 },
  ).catch(async (error: unknown) => {
    await filesSettled;
    throw error;
  });
}

/**
 * duplicate or cancel, seen by an attempt whose completion found the job no
 * longer running. A duplicate delivery (BullMQ is at-least-once) finds it
 * completed by the other attempt, whose image rows point at these very
 * files: they stay. Cancelled while the last step ran: the GPU time it used
 * is charged and nothing is kept.
 */
export async function settleLostAttempt(
  db: Db,
  storage: StorageTarget,
  job: { id: string; userId: string; mode: TJobMode },
  gpuMs: number,
): Promise<"duplicate" | "cancelled"> {
  const { status } = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } });
  if (status === "completed") return "duplicate";
  await settleCancelledJob(db, job, gpuMs);
  await removeJobFiles(storage, job.userId, job.id);
  return "cancelled";
}

/** retry: a failed attempt that BullMQ will retry; the row waits again. */
export async function retryJobLater(db: Db, jobId: string): Promise<boolean> {
  const { count } = await db.job.updateMany({
    where: { id: jobId, status: "running" },
    data: { status: "queued", progress: 0, error: "The attempt failed; retrying shortly." },
  });
  return count === 1;
}

/**
 * fail (also abandon): an in-progress job fails for good with a message the
 * user reads; its hold is returned (a failed job costs nothing) and any image
 * files an attempt wrote — they have no rows — are removed after the commit.
 */
export async function failJob(
  db: Db,
  job: { id: string; userId: string },
  reason: { message: string; note: string; from?: "running" | "active" },
  cleanup?: { storage: StorageTarget; log: Logger },
): Promise<boolean> {
  const failed = await db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: job.id, status: reason.from === "running" ? "running" : { in: ACTIVE } },
      data: { status: "failed", error: reason.message, finishedAt: new Date() },
    });
    if (count === 1) await releaseJob(tx, { userId: job.userId, jobId: job.id, note: reason.note });
    return count === 1;
  });
  if (failed && cleanup) {
    await removeJobFiles(cleanup.storage, job.userId, job.id).catch((error: unknown) =>
      cleanup.log.warn({ err: error, jobId: job.id }, "could not remove the failed job's files"),
    );
  }
  return failed;
}

/**
 * cancel: the user's own in-progress job is cancelled. A queued job used no
 * GPU time: its hold is returned at once. A running one keeps its hold until
 * its worker, told separately (lib/jobs/queue.ts), stops and charges the GPU
 * time the attempt used (`settleCancelledJob`); the maintenance sweep returns
 * the hold if that worker never reports. Null when the job was not in
 * progress (or not theirs).
 */
export async function cancelJobRow(db: Db, job: { id: string; userId: string }): Promise<"queued" | "running" | null> {
  return db.$transaction(async (tx) => {
    const cancel = (from: "queued" | "running") =>
      tx.job.updateMany({ where: { id: job.id, userId: job.userId, status: from }, data: { status: "cancelled", finishedAt: new Date(), error: "Cancelled." } });
    if ((await cancel("queued")).count === 1) {
      await releaseJob(tx, { userId: job.userId, jobId: job.id, note: "cancelled" });
      return "queued";
    }
    return (await cancel("running")).count === 1 ? "running" : null;
  });
}

/**
 * cancel, settled: the worker of a job cancelled while it ran charges the GPU
 * time its attempt used (the user asked for it to stop; the work until then
 * was done). Once: the settle row is unique per job, and a job whose hold was
 * already returned is never charged.
 */
export async function settleCancelledJob(db: Db, job: { id: string; userId: string; mode: TJobMode }, gpuMs: number): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const row = await tx.job.findUnique({ where: { id: job.id }, select: { status: true } });
    if (row?.status !== "cancelled") return null;
    const charged = await settleJob(tx, { userId: job.userId, jobId: job.id, gpuMs, mode: job.mode });
    if (charged !== null) await tx.job.update({ where: { id: job.id }, data: { chargedMs: charged, gpuMs: { increment: gpuMs } } });
    return charged;
  });
}

/**
 * requeue: SIGTERM's deadline passed with these jobs running here; their rows
 * go back to queued (what the user sees: waiting to be retried) instead of
 * claiming to run on a worker that is gone.
 */
export async function requeueJobs(db: Db, jobIds: string[], message: string): Promise<number> {
  if (jobIds.length === 0) return 0;
  const { count } = await db.job.updateMany({ where: { id: { in: jobIds }, status: "running" }, data: { status: "queued", progress: 0, error: message } });
  return count;
}
