import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { MODE_MULTIPLIER } from "@/lib/server/accounting/rates";
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
  const account = await context.db.$transaction((tx) => lockUsageAccount(tx, userId));
  const mode = plans[0]!.mode;
  const jobs = plans.reduce((sum, plan) => sum + plan.recipe.repeat, 0);
  return { jobs, mode, gpuMs, multiplier: MODE_MULTIPLIER[mode], chargeMs, remainingMs: Number(availableMs(account)) };
}
