import { z } from "zod";

/**
 * What a worker runs for one job, decided when the job is accepted and stored
 * on its row. The BullMQ payload carries only the job id; the worker re-reads
 * and re-validates these.
 */
const ZSource = z.object({
  imageId: z.string(),
  storageKey: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

/**
 * An image prompt resolved at acceptance: the stored file (an upload or one
 * of the user's results) and the `--iw` weight that sets the img2img strength.
 */
export const ZImagePromptParams = z.object({
  storageKey: z.string(),
  weight: z.number().min(0).max(3),
  uploadId: z.string().optional(),
  imageId: z.string().optional(),
});
export type TImagePromptParams = z.infer<typeof ZImagePromptParams>;

/**
 * Personalization resolved when the job was accepted: the profile codes, the
 * --s it used and the exact per-axis coefficients, so a rerun steers the text
 * conditioning identically (lib/server/personalization).
 */
export const ZJobPersonalization = z.object({
  codes: z.array(z.string()).min(1).max(10),
  /** `--p a::2 b::1`: blend weights, one per code; absent for an equal blend. */
  weights: z.array(z.number().positive()).max(10).optional(),
  stylize: z.number().min(0).max(1000),
  lambda: z.number(),
  axes: z
    .array(z.object({ id: z.string(), negative: z.string().max(200), positive: z.string().max(200), preference: z.number(), coefficient: z.number().min(-100).max(100) }))
    .max(32),
});

const common = {
  model: z.string().min(1),
  prompt: z.string().max(2000),
  negativePrompt: z.string().max(2000),
  /** Image k of the job uses seed + k. */
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  quality: z.enum(["draft", "full"]),
  personalize: ZJobPersonalization.optional(),
};

export const ZJobParams = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("imagine"),
    ...common,
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    count: z.number().int().min(1).max(4),
    imagePrompt: ZImagePromptParams.optional(),
  }),
  z.object({ kind: z.literal("vary"), ...common, strength: z.enum(["subtle", "strong"]), source: ZSource, count: z.number().int().min(1).max(4) }),
  z.object({ kind: z.literal("upscale"), ...common, mode: z.enum(["subtle", "creative"]), source: ZSource }),
]);
export type TJobParams = z.infer<typeof ZJobParams>;

/** Width and height of what a job produces. */
export function outputSize(params: TJobParams): { width: number; height: number } {
  switch (params.kind) {
    case "imagine":
      return { width: params.width, height: params.height };
    case "vary":
      return { width: params.source.width, height: params.source.height };
    case "upscale":
      return { width: params.source.width * 2, height: params.source.height * 2 };
    default:
      return params satisfies never;
  }
}

export function imageCount(params: TJobParams): number {
  return params.kind === "upscale" ? 1 : params.count;
}
