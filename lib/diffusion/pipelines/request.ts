/**
 * What a worker asks the engine for, validated at the boundary (the request
 * crosses a thread boundary and comes from a queue payload).
 */
import { z } from "zod";

import { SCHEDULER_NAMES } from "../schedulers";
import { ZSchedulerOptions } from "../schedulers/config";
import { ZOOM_FACTOR_RANGE } from "../../editor/outpaint-layout";

const MAX_SIDE = 4096;

export const ZRgbImage = z
  .object({
    width: z.number().int().positive().max(MAX_SIDE),
    height: z.number().int().positive().max(MAX_SIDE),
    data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: "expected a Uint8Array" }),
  })
  .refine((image) => image.data.length === image.width * image.height * 3, { message: "RGB buffer size does not match width×height×3" });

export const ZSamplerOverrides = z.strictObject({
  scheduler: z.enum(SCHEDULER_NAMES).optional(),
  steps: z.number().int().min(1).max(200).optional(),
  guidance: z.number().min(0).max(30).optional(),
  timestepSpacing: z.enum(["leading", "trailing", "linspace"]).optional(),
  karras: z.boolean().optional(),
  schedulerOptions: ZSchedulerOptions.optional(),
});

const common = {
  prompt: z.string().max(2000),
  /** The `--no` text. */
  negativePrompt: z.string().max(2000).default(""),
  /** Image k of the job uses seed + k (mod 2³², as torch keeps the low 32 bits). */
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  quality: z.enum(["draft", "full"]).default("full"),
  sampler: ZSamplerOverrides.optional(),
  /** Personalization: c' = c + Σ coefficient·(E(positive) − E(negative)); absent or all-zero = unsteered. */
  steering: z
    .array(z.strictObject({ negative: z.string().max(200), positive: z.string().max(200), coefficient: z.number().min(-100).max(100) }))
    // Personalization, style references and --weird each add axes.
    .max(96)
    .optional(),
};
const side = z.number().int().positive().max(MAX_SIDE).multipleOf(8);

/**
 * One byte per pixel, or RGB (a stored mask PNG as read back); a pixel
 * repaints when its brightest channel is ≥ 128 (lib/diffusion/pipelines/mask.ts).
 */
export const ZMaskImage = z
  .object({
    width: z.number().int().positive().max(MAX_SIDE),
    height: z.number().int().positive().max(MAX_SIDE),
    data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: "expected a Uint8Array" }),
  })
  .refine((mask) => [1, 3].some((channels) => mask.data.length === mask.width * mask.height * channels), {
    message: "mask buffer size does not match width×height (grey) or width×height×3 (RGB)",
  });

/** Zoom Out, Pan or Make Square (lib/editor/outpaint-layout.ts). */
export const ZOutpaintMove = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("zoom"), factor: z.number().min(ZOOM_FACTOR_RANGE.min).max(ZOOM_FACTOR_RANGE.max) }),
  z.strictObject({ kind: z.literal("pan"), direction: z.enum(["left", "right", "up", "down"]) }),
  z.strictObject({ kind: z.literal("square") }),
]);

/** Pixels of the seam's fade on each side; default about 1/48 of the short side. */
const featherRadius = z.number().int().min(0).max(64).optional();

export const ZGenerationRequest = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("imagine"),
    ...common,
    width: side,
    height: side,
    count: z.number().int().min(1).max(8).default(4),
    /** An image prompt: img2img from this image, at a strength set by its `--iw` weight (see imagePromptStrength). */
    imagePrompt: z.strictObject({ image: ZRgbImage, weight: z.number().min(0).max(3) }).optional(),
    /** Multi-prompt parts (`cat::2 dog::-0.5`, `--no` as −0.5): the conditioning is their weighted mean; the weights must add up to more than 0. */
    promptParts: z
      .array(z.strictObject({ text: z.string().max(2000), weight: z.number().min(-1000).max(1000) }))
      .min(1)
      .max(21)
      .refine((parts) => parts.reduce((sum, part) => sum + part.weight, 0) > 0, { message: "multi-prompt weights must add up to more than 0" })
      .optional(),
    /** `--q`: the preset's steps times this. */
    stepScale: z.union([z.literal(0.25), z.literal(0.5), z.literal(1), z.literal(2), z.literal(4)]).optional(),
    /** `--stop`: percentage of the steps run before the partial result is decoded. */
    stop: z.number().int().min(10).max(100).optional(),
    /** `--tile`: a seamless tile. */
    tile: z.boolean().optional(),
    /** `--weird`: seeded steering along the model's style axes, weird/1000 standard deviations. */
    weird: z.number().int().min(0).max(3000).optional(),
    /** `--exp`: guidance × (1 + exp/100). */
    exp: z.number().int().min(0).max(100).optional(),
  }),
  z.strictObject({
    kind: z.literal("vary"),
    ...common,
    /** Subtle = img2img at 0.5, Strong = 0.85 (Fooocus' values). */
    strength: z.enum(["subtle", "strong"]),
    image: ZRgbImage,
    count: z.number().int().min(1).max(8).default(4),
  }),
  z.strictObject({
    kind: z.literal("upscale"),
    ...common,
    /** Subtle = super-resolution only; Creative = super-resolution, then img2img at `creativeStrength`. */
    mode: z.enum(["subtle", "creative"]),
    image: ZRgbImage,
    creativeStrength: z.number().gt(0).max(1).default(0.35),
  }),
  z.strictObject({
    kind: z.literal("inpaint"),
    ...common,
    /** The image to edit; sides are snapped to the model's size multiple (the mask follows). */
    image: ZRgbImage,
    /** White (≥ 128) = repaint; any size, resized to the image's. */
    mask: ZMaskImage,
    count: z.number().int().min(1).max(8).default(4),
    featherRadius,
  }),
  z.strictObject({
    kind: z.literal("outpaint"),
    ...common,
    image: ZRgbImage,
    /** Where the image goes on the new canvas; the rest is generated. */
    move: ZOutpaintMove,
    count: z.number().int().min(1).max(8).default(4),
    featherRadius,
  }),
]);

export type TGenerationRequestInput = z.input<typeof ZGenerationRequest>;
export type TGenerationRequest = z.infer<typeof ZGenerationRequest>;
