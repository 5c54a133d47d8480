import { randomInt } from "node:crypto";
import { AppError } from "@/lib/errors";
import { listModels, sizeForAspect } from "@/lib/models/catalog";
import type { TImagePromptParams } from "@/lib/jobs/params";
import type { TJobParams } from "@/lib/jobs/registry";
import { promptLanguageParams } from "@/lib/jobs/kinds/imagine";
import { modelForAlias } from "./model-alias";
import { parsePrompt, PROMPT_LIMITS, type TPromptRecipe } from "@/lib/prompt";
import { expandPermutations, MAX_PERMUTATIONS } from "@/lib/prompt/permutations";
import type { TImagePromptRef, TJobView } from "@/lib/schemas/jobs";
import { notOwnImageError } from "@/lib/server/gallery/image-access";
import type { Principal } from "@/lib/server/principal";
import { resolveJobPersonalization } from "@/lib/server/personalization/service";
import { resolveStyleReferences, type TReferenceContext } from "@/lib/server/references/resolve";
import type { JobContext } from "./context";
import { acceptJobs } from "./accept-jobs";
import { toJobView } from "./job-view";

export const IMAGES_PER_GRID = 4;

/** A fresh 32-bit seed; job k of `--r N` and image i of a grid offset from it. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32 - 4);
}

/** The user's plan limits that shape what a prompt may ask for. */
export async function getPlanLimits(context: JobContext, userId: string) {
  // From the plan's side: one statement (a nested select from the user's side is two).
  const plan = await context.db.plan.findFirst({ where: { users: { some: { id: userId } } }, select: { name: true, relaxAllowed: true, maxRepeat: true } });
  return { name: plan?.name ?? "no", relaxAllowed: plan?.relaxAllowed ?? false, maxRepeat: plan?.maxRepeat ?? 1 };
}

export async function resolveModel(context: JobContext, modelId?: string) {
  const wanted = modelId ?? context.defaultModelId;
  const model = (await listModels(context.modelsDir)).find((candidate) => candidate.id === wanted);
  if (!model && modelId) throw new AppError("BAD_REQUEST", `Unknown model "${modelId}". See GET /api/v1/models for the installed ones.`);
  if (!model) {
    throw new AppError("UNAVAILABLE", `The default model "${wanted}" is not installed on this studio. An admin can add it under models/.`, { retryAfterSeconds: 60 });
  }
  return model;
}

export function resolveMode(recipe: TPromptRecipe, override: TPromptRecipe["mode"] | undefined, plan: { name: string; relaxAllowed: boolean }) {
  const mode = override ?? recipe.mode ?? "fast";
  if (mode === "relax" && !plan.relaxAllowed) {
    throw new AppError("FORBIDDEN", `Relax mode is not part of the ${plan.name} plan. Use --fast, or ask an admin for a plan with Relax.`);
  }
  return mode;
}

/** What a submission asks for besides the prompt text. */
export interface ImagineInput {
  prompt: string;
  mode?: TPromptRecipe["mode"];
  model?: string;
  imagePrompt?: TImagePromptRef;
}

/**
 * The stored file behind an image prompt: one of the caller's uploads or one
 * of their own (not deleted) results; anyone else's reads as not found.
 */
async function resolveImagePrompt(context: JobContext, userId: string, ref: TImagePromptRef, weight: number): Promise<TImagePromptParams> {
  if (ref.uploadId !== undefined) {
    const upload = await context.db.upload.findFirst({ where: { id: ref.uploadId, userId }, select: { storageKey: true } });
    if (!upload) throw new AppError("NOT_FOUND", "No such upload to use as the image prompt. Upload the image again.");
    return { storageKey: upload.storageKey, weight, uploadId: ref.uploadId };
  }
  const image = await context.db.image.findFirst({ where: { id: ref.imageId, userId, deletedAt: null }, select: { storageKey: true } });
  // A teammate's image seen through a team folder is theirs to reuse: 403 naming the owner (docs/teams.md).
  if (!image) throw await notOwnImageError(context.db, userId, ref.imageId ? [ref.imageId] : [], "No such image to use as the image prompt.");
  return { storageKey: image.storageKey, weight, imageId: ref.imageId };
}

/**
 * Reads a prompt the way a submission would: parsed under the user's plan,
 * with its mode, model and output size decided. Shared by submit and estimate.
 */
export async function planImagine(context: TReferenceContext, userId: string, input: ImagineInput) {
  const plan = await getPlanLimits(context, userId);
  const parsed = parsePrompt(input.prompt, { maxRepeat: plan.maxRepeat });
  if (!parsed.ok) throw new AppError("BAD_REQUEST", parsed.error.message);
  // --v / --niji choose a model by its manifest alias; one nobody answers is listed as ignored.
  const aliased = modelForAlias(await listModels(context.modelsDir), parsed.recipe, input.model);
  const recipe = aliased.ignored.length > 0 ? { ...parsed.recipe, modelAlias: null, ignored: [...parsed.recipe.ignored, ...aliased.ignored] } : parsed.recipe;
  const mode = resolveMode(recipe, input.mode, plan);
  const model = await resolveModel(context, aliased.modelId);
  const size = sizeForAspect(model, recipe.aspectRatio);
  if (!input.imagePrompt && recipe.imageWeight !== PROMPT_LIMITS.imageWeight.defaultValue) {
    throw new AppError("BAD_REQUEST", "--iw sets how much an image prompt counts, but no image was given. Add an image (the image button in the imagine bar, or `imagePrompt` in the API) or remove --iw.");
  }
  const imagePrompt = input.imagePrompt && (await resolveImagePrompt(context, userId, input.imagePrompt, recipe.imageWeight));
  const personalize = await resolveJobPersonalization(context, userId, model.id, recipe);
  const styleReference = await resolveStyleReferences(context, userId, model, recipe);
  /** The engine parameters of one grid of the prompt, with the given seed. */
  const paramsWithSeed = (seed: number): TJobParams => ({
    kind: "imagine",
    model: model.id,
    prompt: recipe.prompt,
    negativePrompt: recipe.negativePrompt ?? "",
    seed,
    quality: recipe.draft ? "draft" : "full",
    width: size.width,
    height: size.height,
    count: IMAGES_PER_GRID,
    ...(personalize && { personalize }),
    ...(imagePrompt && { imagePrompt }),
    ...(styleReference && { styleReference: styleReference.params }),
    ...promptLanguageParams(recipe),
  });
  // `--p` is recorded as the concrete codes used, so the stored recipe reads like a rerun would.
  const withCodes = personalize
    ? { ...recipe, personalize: { enabled: true, codes: personalize.codes, ...(personalize.weights && { weights: personalize.weights }) } }
    : recipe;
  // `--sref random` is recorded as the code it drew, so Rerun gives the same style.
  const resolved = styleReference ? { ...withCodes, styleRefs: styleReference.refs } : withCodes;
  return { recipe: resolved, mode, paramsWithSeed };
}

/**
 * A submission's prompts: permutation groups (`{red, blue} bird`) expanded,
 * each read and planned like a prompt of its own. Every expansion must be
 * valid before anything is accepted, and together (with their --r repeats)
 * they stay within MAX_PERMUTATIONS jobs; the plan's cap on jobs in progress
 * then applies to the whole set (429 naming the cap).
 */
export async function planImagineAll(context: TReferenceContext, userId: string, input: ImagineInput) {
  const expansion = expandPermutations(input.prompt);
  if (!expansion.ok) throw new AppError("BAD_REQUEST", expansion.message);
  const plans = [];
  for (const prompt of expansion.prompts) plans.push(await planImagine(context, userId, { ...input, prompt }));
  const jobs = plans.reduce((sum, plan) => sum + plan.recipe.repeat, 0);
  if (jobs > MAX_PERMUTATIONS) {
    throw new AppError("BAD_REQUEST", `This prompt makes ${jobs} jobs (${plans.length} permutations × --r); at most ${MAX_PERMUTATIONS} are made at once. Use fewer options or a smaller --r.`);
  }
  return plans;
}

/**
 * POST /jobs: parses the prompt (expanding permutations), decides every
 * generation parameter, stores one job per permutation and `--r` repeat and
 * queues them. Nothing is written when any expansion is invalid.
 */
export async function createImagineJobs(
  context: TReferenceContext,
  principal: Principal,
  input: ImagineInput,
): Promise<TJobView & { jobIds: string[] }> {
  const plans = await planImagineAll(context, principal.userId, input);
  const jobs = plans.flatMap(({ recipe, mode, paramsWithSeed }) => {
    const firstSeed = recipe.seed ?? randomSeed();
    return Array.from({ length: recipe.repeat }, (_, repeat) => ({
      type: "imagine" as const,
      mode,
      prompt: recipe.prompt,
      recipe,
      // "Use image": the grid is made from that image, so Organize shows it in the lineage.
      parentImageId: input.imagePrompt?.imageId ?? null,
      // Repeats get their own seeds: the same seed would repeat the same grid.
      params: paramsWithSeed(repeat === 0 ? firstSeed : randomSeed()),
    }));
  });
  const rows = await acceptJobs(context, principal.userId, jobs);
  const [first] = rows;
  if (!first) throw new AppError("BAD_REQUEST", "The prompt asked for no jobs.");
  return { ...toJobView(first), jobIds: rows.map((row) => row.id) };
}
