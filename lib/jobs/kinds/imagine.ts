import { z } from "zod";
import { ZSchedulerOptions } from "@/lib/diffusion/schedulers/config";
import type { SchedulerName } from "@/lib/diffusion/schedulers/types";
import { defineJobKind } from "./kind";
import { styleReferenceTerms } from "@/lib/references/engine-terms";
import { ZJobStyleReference } from "@/lib/references/job-params";
import { multiPromptParts, type TPromptRecipe } from "@/lib/prompt";
import { commonParams, ZImagePromptParams } from "../params";

/**
 * Sampler overrides, the engine's ZSamplerOverrides restated: that schema
 * lives with the schedulers, whose module loads onnxruntime-node, which the
 * web process (it validates these params) must not. The scheduler name is
 * checked against the engine's list by the worker's request schema, and by
 * the protocol that sets it (lib/protocols/a1111/samplers.ts).
 */
const ZImagineSampler = z.strictObject({
  scheduler: z.custom<SchedulerName>((value) => typeof value === "string" && /^\w+Scheduler$/.test(value), { error: "scheduler must be a scheduler class name" }).optional(),
  steps: z.number().int().min(1).max(200).optional(),
  guidance: z.number().min(0).max(30).optional(),
  karras: z.boolean().optional(),
  schedulerOptions: ZSchedulerOptions.optional(),
});

/**
 * The prompt language's rendering parameters as a job stores them; each is
 * absent at its default, so jobs without them keep their old params (and
 * estimate key). docs/prompt-language.md §4–§8.
 */
const ZPromptLanguageParams = z.object({
  /** Multi-prompt parts, `--no` included as −0.5, when the prompt uses `::`. */
  promptParts: z
    .array(z.object({ text: z.string().max(2000), weight: z.number().min(-1000).max(1000) }))
    .min(1)
    .max(21)
    .optional(),
  /** `--q` other than 1. */
  stepScale: z.union([z.literal(0.25), z.literal(0.5), z.literal(2), z.literal(4)]).optional(),
  /** `--stop` below 100. */
  stop: z.number().int().min(10).max(99).optional(),
  tile: z.literal(true).optional(),
  weird: z.number().int().min(1).max(3000).optional(),
  exp: z.number().int().min(1).max(100).optional(),
});

/** What a recipe's --q, --stop, --tile, --weird, --exp and multi-prompt weights put into an imagine job's params. */
export function promptLanguageParams(recipe: TPromptRecipe): z.infer<typeof ZPromptLanguageParams> & { negativePrompt?: string } {
  const multi = multiPromptParts(recipe.prompt, recipe.negativePrompt);
  // The parser refused any other outcome; a stored recipe that slipped through runs as a plain prompt.
  const parts = multi.ok ? multi.parts : null;
  return {
    // In a multi-prompt --no is the part x::-0.5, not also the negative prompt.
    ...(parts && { promptParts: parts, negativePrompt: "" }),
    ...(recipe.quality !== 1 && { stepScale: recipe.quality as 0.25 | 0.5 | 2 | 4 }),
    ...(recipe.stop < 100 && { stop: recipe.stop }),
    ...(recipe.tile && { tile: true as const }),
    ...(recipe.weird > 0 && { weird: recipe.weird }),
    ...(recipe.exp > 0 && { exp: recipe.exp }),
  };
}

/**
 * Imagine: a grid from a prompt, optionally started from an image prompt
 * (img2img at a strength set by `--iw`). Enhance re-runs a draft's prompt and
 * seed at full quality, so it is an imagine job too, started from that image.
 */
export const imagineKind = defineJobKind({
  kind: "imagine",
  types: {
    imagine: { label: "Imagine", fromImage: false },
    enhance: { label: "Enhance", fromImage: true },
  },
  params: z.object({
    kind: z.literal("imagine"),
    ...commonParams,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    count: z.number().int().min(1).max(4),
    imagePrompt: ZImagePromptParams.optional(),
    /** `--sref`/`--sw`, resolved at acceptance (lib/server/references); steers along the style axes. */
    styleReference: ZJobStyleReference.optional(),
    /** Scheduler, steps and guidance instead of the model's preset (the AUTOMATIC1111 API's sampler_name, steps, cfg_scale). */
    sampler: ZImagineSampler.optional(),
    ...ZPromptLanguageParams.shape,
  }),
  outputSize: (params) => ({ width: params.width, height: params.height }),
  imageCount: (params) => params.count,
  // An image prompt runs fewer denoising steps the more it counts (--iw).
  // Overridden steps change the GPU time as much as the quality does.
  costShape: (params) => ({
    input: { width: params.width, height: params.height },
    variant: [
      params.imagePrompt && `iw${params.imagePrompt.weight}`,
      params.sampler?.steps && `steps${params.sampler.steps}`,
      // --q and --stop change the steps run; --tile widens what the UNet sees.
      params.stepScale && `q${params.stepScale}`,
      params.stop && `stop${params.stop}`,
      params.tile && "tile",
    ]
      .filter(Boolean)
      .join("-"),
  }),
  async engineRequest(params, io) {
    const size = { width: params.width, height: params.height };
    const imagePrompt = params.imagePrompt && { image: await io.readImage(params.imagePrompt.storageKey, size), weight: params.imagePrompt.weight };
    const common = engineCommon(params);
    // Style references add their terms after personalization's: both steer along the same axis directions (docs/references.md §3).
    const reference = params.styleReference && styleReferenceTerms(params.styleReference);
    const steering = reference ? [...(common.steering ?? []), ...reference.terms] : common.steering;
    const { promptParts, stepScale, stop, tile, weird, exp } = params;
    return {
      kind: "imagine",
      ...common,
      ...(steering && { steering }),
      ...size,
      count: params.count,
      ...(imagePrompt && { imagePrompt }),
      ...(params.sampler && { sampler: params.sampler }),
      ...(promptParts && { promptParts }),
      ...(stepScale && { stepScale }),
      ...(stop && { stop }),
      ...(tile && { tile }),
      ...(weird && { weird }),
      ...(exp && { exp }),
    };
  },
  imagePrompt(params) {
    if (!params.imagePrompt) return null;
    const { uploadId, imageId, weight } = params.imagePrompt;
    return { ...(uploadId && { uploadId }), ...(imageId && { imageId }), weight };
  },
});

/** The engine fields every kind passes the same way. */
export function engineCommon(params: z.infer<z.ZodObject<typeof commonParams>>) {
  return {
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    seed: params.seed,
    quality: params.quality,
    // Personalization: the coefficients decided at acceptance steer the text conditioning.
    ...(params.personalize && { steering: params.personalize.axes.map(({ negative, positive, coefficient }) => ({ negative, positive, coefficient })) }),
  };
}
