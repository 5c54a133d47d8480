import { z } from "zod";

/**
 * The parts of a job's stored params that several kinds share. Each kind's
 * full schema lives in its module (./kinds); ./registry.ts unites them into
 * ZJobParams. The BullMQ payload carries only the job id; the worker re-reads
 * and re-validates the params.
 */

/** The user's image a derived job (Vary, Upscale) starts from. */
export const ZSourceImage = z.object({
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

/** Fields every kind's params carry. */
export const commonParams = {
  model: z.string().min(1),
  prompt: z.string().max(2000),
  negativePrompt: z.string().max(2000),
  /** Image k of the job uses seed + k. */
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  quality: z.enum(["draft", "full"]),
  personalize: ZJobPersonalization.optional(),
};
