import { z } from "zod";
import { defineJobKind } from "./kind";
import { commonParams, ZImagePromptParams } from "../params";

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
  }),
  outputSize: (params) => ({ width: params.width, height: params.height }),
  imageCount: (params) => params.count,
  // An image prompt runs fewer denoising steps the more it counts (--iw).
  costShape: (params) => ({ input: { width: params.width, height: params.height }, variant: params.imagePrompt ? `iw${params.imagePrompt.weight}` : "" }),
  async engineRequest(params, io) {
    const size = { width: params.width, height: params.height };
    const imagePrompt = params.imagePrompt && { image: await io.readImage(params.imagePrompt.storageKey, size), weight: params.imagePrompt.weight };
    return { kind: "imagine", ...engineCommon(params), ...size, count: params.count, ...(imagePrompt && { imagePrompt }) };
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
