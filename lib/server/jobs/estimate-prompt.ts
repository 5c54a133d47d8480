import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { lockTeamPool } from "@/lib/server/accounting/team-pool";
import { MODE_MULTIPLIER } from "@/lib/server/accounting/rates";
import { ACTIVE_JOB_STATUSES } from "@/lib/jobs/model";
import type { TEstimate } from "@/lib/schemas/usage";
import type { JobContext } from "./context";
import { planImagineAll, type ImagineInput } from "./create-imagine-jobs";

/** What a prompt would cost before it is submitted (shown under the imagine bar). */
export async function estimatePrompt(context: JobContext, userId: string, input: ImagineInput): Promise<TEstimate> {
  // Every permutation and --r repeat is a job; the mode is the first prompt's (each names its own).
  const plans = await planImagineAll(context, userId, input);
  let gpuMs = 0;
  let chargeMs = 0;
  for (const { recipe, mode, paramsWithSeed } of plans) {
    const perJob = await estimateGpuMs(context.db, paramsWithSeed(0));
    gpuMs += perJob * recipe.repeat;
    chargeMs += Math.round(perJob * recipe.repeat * MODE_MULTIPLIER[mode]);
  }
  // What the submission could draw on: the user's own time plus their team's pool (docs/teams.md).
  const balances = await context.db.$transaction(async (tx) => {
    const account = await lockUsageAccount(tx, userId);
    const pool = account.poolTeamId ? await lockTeamPool(tx, account.poolTeamId) : null;
    return pool ? [account, pool] : [account];
  });
  const mode = plans[0]!.mode;
  const jobs = plans.reduce((sum, plan) => sum + plan.recipe.repeat, 0);
  const remainingMs = balances.reduce((sum, balance) => sum + Math.max(0, Number(availableMs(balance))), 0);
  // The plan's refusals, said while typing (the imagine bar shows them) instead of after Imagine; accept-jobs.ts enforces them.
  const [user, inProgress] = await Promise.all([
    context.db.user.findUnique({ where: { id: userId }, select: { autoRelax: true, plan: { select: { name: true, concurrentJobs: true, queuedJobs: true, relaxAllowed: true } } } }),
    context.db.job.count({ where: { userId, status: { in: [...ACTIVE_JOB_STATUSES] } } }),
  ]);
  const cap = (user?.plan?.concurrentJobs ?? 1) + (user?.plan?.queuedJobs ?? 0);
  const autoRelax = Boolean(user?.autoRelax && user.plan?.relaxAllowed);
  const limit =
    inProgress + jobs > cap
      ? `Your ${user?.plan?.name ?? "current"} plan allows ${cap} jobs in progress at once; this makes ${jobs}${inProgress ? ` and you have ${inProgress} running or waiting` : ""}.`
      : mode !== "relax" && chargeMs > remainingMs && !autoRelax
        ? `Not enough fast time left for this; ${user?.plan?.relaxAllowed ? "switch to Relax (--relax) or " : ""}ask an admin for more.`
        : null;
  return { jobs, mode, gpuMs, multiplier: MODE_MULTIPLIER[mode], chargeMs, remainingMs, limit };
}
