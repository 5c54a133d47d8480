import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { MODE_MULTIPLIER } from "@/lib/server/accounting/rates";
import type { TEstimate } from "@/lib/schemas/usage";
import type { JobContext } from "./context";
import { planImagine, type ImagineInput } from "./create-imagine-jobs";

/** What a prompt would cost before it is submitted (shown under the imagine bar). */
export async function estimatePrompt(context: JobContext, userId: string, input: ImagineInput): Promise<TEstimate> {
  const { recipe, mode, paramsWithSeed } = await planImagine(context, userId, input);
  const perJob = await estimateGpuMs(context.db, paramsWithSeed(0));
  const account = await context.db.$transaction((tx) => lockUsageAccount(tx, userId));
  const gpuMs = perJob * recipe.repeat;
  return { jobs: recipe.repeat, mode, gpuMs, multiplier: MODE_MULTIPLIER[mode], chargeMs: Math.round(gpuMs * MODE_MULTIPLIER[mode]), remainingMs: Number(availableMs(account)) };
}
