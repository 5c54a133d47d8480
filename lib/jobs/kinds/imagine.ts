import { z } from "zod";
import { ZSchedulerOptions } from "@/lib/diffusion/schedulers/config";
import type { SchedulerName } from "@/lib/diffusion/schedulers/types";
import { defineJobKind } from "./kind";
import { styleReferenceTerms } from "@/lib/references/engine-terms";
import { ZJobStyleReference } from "@/lib/references/job-params";
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
  }),
  outputSize: (params) => ({ width: params.width, height: params.height }),
  imageCount: (params) => params.count,
  // An image prompt runs fewer denoising steps the more it counts (--iw).
  // Overridden steps change the GPU time as much as the quality does.
  costShape: (params) => ({
    input: { width: params.width, height: params.height },
    variant: [params.imagePrompt && `iw${params.imagePrompt.weight}`, params.sampler?.steps && `steps${params.sampler.steps}`].filter(Boolean).join("-"),
  }),
  async engineRequest(params, io) {
    const size = { width: params.width, height: params.height };
    const imagePrompt = params.imagePrompt && { image: await io.readImage(params.imagePrompt.storageKey, size), weight: params.imagePrompt.weight };
    const common = engineCommon(params);
    // Style references add their terms after personalization's: both steer along the same axis directions (docs/references.md §3).
    const reference = params.styleReference && (await styleReferenceTerms(params.styleReference, (key, cover) => io.readImage(key, cover)));
    const steering = reference ? [...(common.steering ?? []), ...reference.terms] : common.steering;
    return { kind: "imagine", ...common, ...(steering && { steering }), ...size, count: params.count, ...(imagePrompt && { imagePrompt }), ...(params.sampler && { sampler: params.sampler }) };
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
