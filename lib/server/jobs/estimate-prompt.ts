import { AppError } from "@/lib/errors";
import { parsePrompt } from "@/lib/prompt";
import { availableMs, lockUsageAccount } from "@/lib/server/accounting/account";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { MODE_MULTIPLIER } from "@/lib/server/accounting/rates";
import type { TEstimate } from "@/lib/schemas/usage";
import type { JobContext } from "./context";
import { getPlanLimits, IMAGES_PER_GRID, resolveMode, resolveModel } from "./create-imagine-jobs";
import { sizeForAspect } from "@/lib/models/catalog";

/** What a prompt would cost before it is submitted (shown under the imagine bar). */
export async function estimatePrompt(context: JobContext, userId: string, input: { prompt: string; mode?: "turbo" | "fast" | "relax" }): Promise<TEstimate> {
  const plan = await getPlanLimits(context, userId);
  const parsed = parsePrompt(input.prompt, { maxRepeat: plan.maxRepeat });
  if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.error.message);
  const recipe = parsed.recipe;
  const mode = resolveMode(recipe, input.mode, plan);
  const model = await resolveModel(context);
  const size = sizeForAspect(model, recipe.aspectRatio);
  const perJob = await estimateGpuMs(context.db, {
    kind: "imagine",
    model: model.id,
    prompt: recipe.prompt,
    negativePrompt: recipe.negativePrompt ?? "",
    seed: 0,
    quality: recipe.draft ? "draft" : "full",
    width: size.width,
    height: size.height,
    count: IMAGES_PER_GRID,
  });
  const account = await context.db.$transaction((tx) => lockUsageAccount(tx, userId));
  const gpuMs = perJob * recipe.repeat;
  return { jobs: recipe.repeat, mode, gpuMs, multiplier: MODE_MULTIPLIER[mode], chargeMs: Math.round(gpuMs * MODE_MULTIPLIER[mode]), remainingMs: Number(availableMs(account)) };
}
