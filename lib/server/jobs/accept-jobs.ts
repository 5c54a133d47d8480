import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/model";
import type { TJobParams, TJobType } from "@/lib/jobs/registry";
import { lockUsageAccount } from "@/lib/server/accounting/account";
import { estimateGpuMs, estimateKey } from "@/lib/server/accounting/estimate";
import { MODE_MULTIPLIER, type TMode } from "@/lib/server/accounting/rates";
import { assertPromptAllowed, jobPromptTexts } from "@/lib/server/moderation/check-prompt";
import type { TPromptRecipe } from "@/lib/prompt";
import type { JobContext } from "./context";
import { enqueueAccepted } from "./enqueue";
import { acceptJob } from "./lifecycle";
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
  await assertPromptAllowed(context.db, { userId, texts: jobs.flatMap(jobPromptTexts), source: context.source ?? "web" });
  await context.limitSubmissions?.(userId);
  const estimates = await Promise.all(jobs.map((job) => estimateGpuMs(context.db, job.params)));
  const accepted = await serialisePerUser(userId, () => context.db.$transaction(
    async (tx) => {
      const account = await lockUsageAccount(tx, userId);
      const user = await tx.user.findUniqueOrThrow({
        where: { id: userId },
        select: { disabledAt: true, autoRelax: true, plan: { select: { name: true, concurrentJobs: true, queuedJobs: true, relaxAllowed: true } } },
      });
      if (user.disabledAt) throw new AppError("FORBIDDEN", "This account is disabled. Ask an admin.");
      const cap = (user.plan?.concurrentJobs ?? 1) + (user.plan?.queuedJobs ?? 0);
      const inProgress = await tx.job.count({ where: { userId, status: { in: [...ACTIVE_JOB_STATUSES] } } });
      if (inProgress + jobs.length > cap) {
        throw new AppError(
          "RATE_LIMITED",
          `Your ${user.plan?.name ?? "current"} plan allows ${cap} jobs in progress at once (${user.plan?.concurrentJobs ?? 1} running + ${user.plan?.queuedJobs ?? 0} waiting); you have ${inProgress}. Wait for some to finish.`,
          { retryAfterSeconds: 5 },
        );
      }
      const rows: JobViewRow[] = [];
      const fallBackToRelax = user.autoRelax && (user.plan?.relaxAllowed ?? false);
      for (const [index, job] of jobs.entries()) {
        const estimateMs = estimates[index] ?? 1;
        const row = await acceptJob(
          tx,
          {
            userId,
            type: job.type,
            mode: job.mode,
            prompt: job.prompt,
            recipe: job.recipe as Prisma.InputJsonValue,
            params: job.params,
            estimateKey: estimateKey(job.params),
            parentImageId: job.parentImageId ?? null,
            estimateMs,
            source: context.source ?? "web",
          },
          { fallBackToRelax },
        );
        if (!row) {
          // Not held: the transaction rolls back, so none of the jobs stays.
          const needed = jobs.slice(index).reduce((sum, _, offset) => sum + (estimates[index + offset] ?? 0) * MODE_MULTIPLIER[job.mode], 0);
          const left = account.allowanceMs + account.grantedMs - account.heldMs - account.usedMs;
          throw new AppError(
            "INSUFFICIENT_FAST_TIME",
            `Not enough fast time: this needs about ${formatSeconds(needed)} and you have ${formatSeconds(left > 0n ? left : 0n)} left this month. ` +
              // Only a plan with Relax is pointed at it.
              (user.plan?.relaxAllowed
                ? "Use --relax (free, slower), turn on automatic Relax fallback under Account, or ask an admin for more hours."
                : "Ask an admin for more hours or a plan with Relax mode, or wait for next month's allowance."),
          );
        }
        rows.push(row);
      }
      return { rows, relaxMinutes: Math.floor(Number(account.relaxMs) / 60_000) };
    },
    // Under a burst of submissions, waiting for a pooled connection is normal.
    { timeout: 20_000, maxWait: 20_000 },
  ));
  await enqueueAccepted(context, accepted.rows.map((row, index) => ({ id: row.id, mode: row.mode, modelId: jobs[index]!.params.model, relaxMinutes: accepted.relaxMinutes })));
  return accepted.rows;
}
