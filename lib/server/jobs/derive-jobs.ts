import { AppError } from "@/lib/errors";
import type { TJobMode } from "@/lib/jobs/model";
import { ZJobParams, type TJobParams, type TJobType } from "@/lib/jobs/registry";
import { PROMPT_LIMITS, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import type { TJobView } from "@/lib/schemas/jobs";
import type { Principal } from "@/lib/server/principal";
import type { JobContext } from "./context";
import { notOwnImageError } from "@/lib/server/gallery/image-access";
import { acceptJobs } from "./accept-jobs";
import { getPlanLimits, IMAGES_PER_GRID, randomSeed, resolveMode } from "./create-imagine-jobs";
import { toJobView } from "./job-view";
import { remixRecipe } from "./remix-recipe";

/**
 * Jobs made from an earlier result: Vary and Upscale take an image, Enhance
 * takes a draft image, Rerun takes a job. Each inherits the parent's prompt
 * recipe and mode; someone else's image or job reads as not found.
 */

async function getOwnImage(context: JobContext, principal: Principal, imageId: string) {
  const image = await context.db.image.findFirst({
    // a deleted image (still inside its undo window) cannot be varied or upscaled
    where: { id: imageId, userId: principal.userId, deletedAt: null },
    select: {
      id: true,
      seed: true,
      width: true,
      height: true,
      isDraft: true,
      storageKey: true,
      job: { select: { mode: true, recipe: true, params: true, prompt: true } },
    },
  });
  // A teammate's image seen through a team folder is read-only: 403 naming the owner (docs/teams.md).
  if (!image) throw await notOwnImageError(context.db, principal.userId, [imageId]);
  return { ...image, params: ZJobParams.parse(image.job.params), recipe: ZPromptRecipe.parse(image.job.recipe) };
}

/**
 * Rerun and Enhance start from the parent's image prompt again: it must still
 * exist (an upload not deleted, an image not deleted), or the job would be
 * charged a reservation only to fail on the worker.
 */
async function assertImagePromptExists(context: JobContext, userId: string, params: TJobParams): Promise<void> {
  if (params.kind !== "imagine" || !params.imagePrompt) return;
  const { uploadId, imageId } = params.imagePrompt;
  const found = uploadId
    ? await context.db.upload.count({ where: { id: uploadId, userId } })
    : await context.db.image.count({ where: { id: imageId, userId, deletedAt: null } });
  if (found === 0) throw new AppError("NOT_FOUND", "This job's image prompt has been deleted, so it cannot run again. Attach an image in the imagine bar and submit the prompt anew.");
}

async function createDerivedJob(
  context: JobContext,
  principal: Principal,
  input: { type: TJobType; parentImageId: string | null; prompt: string; recipe: unknown; mode: TJobMode; params: TJobParams },
): Promise<TJobView> {
  await assertImagePromptExists(context, principal.userId, input.params);
  const plan = await getPlanLimits(context, principal.userId);
  const recipe = ZPromptRecipe.parse(input.recipe);
  // The parent's mode is inherited; one made in Relax on a plan that has since lost
  // Relax runs in Fast, so people can still vary, upscale and rerun their images.
  const inherited = input.mode === "relax" && !plan.relaxAllowed ? "fast" : input.mode;
  const mode = resolveMode(recipe, inherited, plan);
  const [row] = await acceptJobs(context, principal.userId, [{ ...input, recipe, mode }]);
  if (!row) throw new AppError("BAD_REQUEST", "No job was created.");
  return toJobView(row);
}

function sourceOf(image: { id: string; storageKey: string; width: number; height: number }) {
  return { imageId: image.id, storageKey: image.storageKey, width: image.width, height: image.height };
}

/** Vary (Subtle/Strong): image-to-image at full quality, four new seeds; `remix` replaces the prompt's words and --no. */
export async function createVaryJob(context: JobContext, principal: Principal, imageId: string, strength: "subtle" | "strong", remix?: string) {
  const image = await getOwnImage(context, principal, imageId);
  const base = image.params;
  // The variation starts from this image, not from the parent's image prompt: no --iw.
  let recipe: TPromptRecipe = { ...image.recipe, draft: false, imageWeight: PROMPT_LIMITS.imageWeight.defaultValue };
  if (remix !== undefined) recipe = remixRecipe(recipe, remix, (await getPlanLimits(context, principal.userId)).maxRepeat);
  return createDerivedJob(context, principal, {
    type: strength === "subtle" ? "vary-subtle" : "vary-strong",
    parentImageId: image.id,
    prompt: remix !== undefined ? recipe.prompt : image.job.prompt,
    recipe,
    mode: image.job.mode,
    params: {
      kind: "vary",
      model: base.model,
      prompt: remix !== undefined ? recipe.prompt : base.prompt,
      negativePrompt: remix !== undefined ? (recipe.negativePrompt ?? "") : base.negativePrompt,
      seed: randomSeed(),
      quality: "full",
      strength,
      source: sourceOf(image),
      count: IMAGES_PER_GRID,
    },
  });
}

/** Upscale (Subtle/Creative): one image at twice the width and height. */
export async function createUpscaleJob(context: JobContext, principal: Principal, imageId: string, kind: "subtle" | "creative") {
  const image = await getOwnImage(context, principal, imageId);
  const base = image.params;
  return createDerivedJob(context, principal, {
    type: kind === "subtle" ? "upscale-subtle" : "upscale-creative",
    parentImageId: image.id,
    prompt: image.job.prompt,
    recipe: { ...image.recipe, imageWeight: PROMPT_LIMITS.imageWeight.defaultValue },
    mode: image.job.mode,
    params: {
      kind: "upscale",
      model: base.model,
      prompt: base.prompt,
      negativePrompt: base.negativePrompt,
      seed: Number(image.seed),
      quality: "full",
      mode: kind,
      source: sourceOf(image),
    },
  });
}

/** Enhance: the draft's prompt and seed again at full quality, so the composition stays close. */
export async function createEnhanceJob(context: JobContext, principal: Principal, imageId: string) {
  const image = await getOwnImage(context, principal, imageId);
  if (!image.isDraft) throw new AppError("BAD_REQUEST", "Enhance works on draft images only; this one is already full quality.");
  const base = image.params;
  if (base.kind !== "imagine") throw new AppError("BAD_REQUEST", "Enhance works on images from a draft prompt.");
  return createDerivedJob(context, principal, {
    type: "enhance",
    parentImageId: image.id,
    prompt: image.job.prompt,
    recipe: { ...image.recipe, draft: false },
    mode: image.job.mode,
    params: { ...base, quality: "full", seed: Number(image.seed), count: 1 },
  });
}

/**
 * Rerun: the same recipe with new seeds — or, with `exact`, the same seeds
 * too, which reproduces the same pixels on the same hardware class.
 */
export async function createRerunJob(context: JobContext, principal: Principal, jobId: string, options: { exact?: boolean } = {}) {
  const job = await context.db.job.findFirst({
    where: { id: jobId, userId: principal.userId },
    select: { prompt: true, recipe: true, params: true, mode: true, parentImageId: true },
  });
  if (!job) throw new AppError("NOT_FOUND", "No such job.");
  const params = ZJobParams.parse(job.params);
  return createDerivedJob(context, principal, {
    type: "rerun",
    parentImageId: job.parentImageId,
    prompt: job.prompt,
    recipe: job.recipe,
    mode: job.mode,
    params: options.exact ? params : { ...params, seed: randomSeed() },
  });
}
