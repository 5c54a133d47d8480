import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/model";
import type { TJobParams, TJobType } from "@/lib/jobs/registry";
import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { lockTeamPool } from "@/lib/server/accounting/team-pool";
import { estimateGpuMs, estimateKey } from "@/lib/server/accounting/estimate";
import { MODE_MULTIPLIER, type TMode } from "@/lib/server/accounting/rates";
import { assertPromptAllowed, jobPromptTexts } from "@/lib/server/moderation/check-prompt";
import type { TPromptRecipe } from "@/lib/prompt";
import type { JobContext } from "./context";
import { enqueueAccepted } from "./enqueue";
import { acceptJobRows } from "./lifecycle";
import { serialisePerUser } from "./per-user-queue";
import type { JobViewRow } from "./job-view";

export interface NewJob {
  type: TJobType;
  mode: TMode;
  prompt: string;
  recipe: TPromptRecipe;
  params: TJobParams;
  parentImageId?: string | null;
}

/** What acceptance reads about the submitter, under the account lock. */
interface SubmitterRow {
  disabledAt: Date | null;
  autoRelax: boolean;
  planName: string | null;
  concurrentJobs: number | null;
  queuedJobs: number | null;
  relaxAllowed: boolean | null;
  inProgress: number;
}

function formatSeconds(ms: number | bigint): string {
  return `${(Number(ms) / 1000).toFixed(1)} s`;
}

/**
 * Accepts jobs for a user, after the per-user submission rate limit (429),
 * in one transaction: the plan's cap on jobs in progress (429), a reservation
 * of each job's estimated fast time (402 when it does not fit, and nothing is
 * written), then the rows. Enqueueing follows the commit, so Redis never
 * holds a job Postgres does not.
 */
export async function acceptJobs(context: JobContext, userId: string, jobs: NewJob[]): Promise<JobViewRow[]> {
  // The one place every prompt enters job creation (web, Draft, protocols): refused before anything is held.
  // The estimates are plain reads, made meanwhile: one round trip of waiting instead of two (bench/e2e, accept).
  const [estimates] = await Promise.all([
    Promise.all(jobs.map((job) => estimateGpuMs(context.db, job.params))),
    assertPromptAllowed(context.db, { userId, texts: jobs.flatMap(jobPromptTexts), source: context.source ?? "web" }),
  ]);
  await context.limitSubmissions?.(userId);
  const accepted = await serialisePerUser(userId, () => context.db.$transaction(
    async (tx) => {
      const account = await lockUsageAccount(tx, userId);
      // A member of a team with a plan draws from the team's pool first, then from their own time (docs/teams.md).
      const teamPool = account.poolTeamId ? await lockTeamPool(tx, account.poolTeamId) : null;
      const pools = [
        ...(teamPool ? [{ teamId: teamPool.teamId, availableMs: availableMs(teamPool) }] : []),
        { teamId: null, availableMs: availableMs(account) },
      ];
      // The user, their plan and their jobs in progress in one statement, read under the account lock.
      const [user] = await tx.$queryRaw<SubmitterRow[]>`
        SELECT u."disabledAt", u."autoRelax", p."name" AS "planName", p."concurrentJobs", p."queuedJobs", p."relaxAllowed",
               (SELECT COUNT(*)::int FROM "job" j WHERE j."userId" = u.id AND j."status" = ANY(${[...ACTIVE_JOB_STATUSES]}::"job_status"[])) AS "inProgress"
          FROM "user" u LEFT JOIN "plan" p ON p.id = u."planId"
         WHERE u.id = ${userId}`;
      if (!user) throw new AppError("NOT_FOUND", "This account no longer exists.");
      if (user.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled. Ask an admin.");
      const cap = (user.concurrentJobs ?? 1) + (user.queuedJobs ?? 0);
      const inProgress = user.inProgress;
      if (inProgress + jobs.length > cap) {
        throw new AppError(
          "RATE_LIMITED",
          `Your ${user.planName ?? "current"} plan allows ${cap} jobs in progress at once (${user.concurrentJobs ?? 1} running + ${user.queuedJobs ?? 0} waiting); you have ${inProgress}. Wait for some to finish.`,
          { retryAfterSeconds: 5 },
        );
      }
      const fallBackToRelax = user.autoRelax && (user.relaxAllowed ?? false);
      const accepted = await acceptJobRows(
        tx,
        jobs.map((job, index) => ({
          userId,
          type: job.type,
          mode: job.mode,
          prompt: job.prompt,
          recipe: job.recipe as Prisma.InputJsonValue,
          params: job.params,
          estimateKey: estimateKey(job.params),
          parentImageId: job.parentImageId ?? null,
          estimateMs: estimates[index] ?? 1,
          source: context.source ?? "web",
        })),
        { pools, fallBackToRelax },
      );
      if ("shortAt" in accepted) {
        // Not held: the transaction rolls back, so none of the jobs stays.
        const index = accepted.shortAt;
        const needed = jobs.slice(index).reduce((sum, job, offset) => sum + (estimates[index + offset] ?? 0) * MODE_MULTIPLIER[job.mode], 0);
        const left = pools.reduce((sum, pool) => sum + (pool.availableMs > 0n ? pool.availableMs : 0n), 0n);
        throw new AppError(
          "INSUFFICIENT_FAST_TIME",
          `Not enough fast time: this needs about ${formatSeconds(needed)} and you have ${formatSeconds(left)} left this month` +
            (teamPool ? ` (${formatSeconds(pools[0]!.availableMs > 0n ? pools[0]!.availableMs : 0n)} of it in your team's pool). ` : ". ") +
            // Only a plan with Relax is pointed at it.
            (user.relaxAllowed
              ? "Use --relax (free, slower), turn on automatic Relax fallback under Account, or ask an admin for more hours."
              : "Ask an admin for more hours or a plan with Relax mode, or wait for next month's allowance."),
        );
      }
      const { rows } = accepted;
      return { rows, relaxMinutes: Math.floor(Number(account.relaxMs) / 60_000) };
    },
    // Under a burst of submissions, waiting for a pooled connection is normal.
    { timeout: 20_000, maxWait: 20_000 },
  ));
  await enqueueAccepted(context, accepted.rows.map((row, index) => ({ id: row.id, mode: row.mode, modelId: jobs[index]!.params.model, relaxMinutes: accepted.relaxMinutes })));
  return accepted.rows;
}
