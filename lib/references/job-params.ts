import { z } from "zod";
import { STYLE_WEIGHT } from "./style";

/**
 * Style references as a job stores them (docs/references.md §3): resolved at
 * acceptance to what the worker needs and nothing it must look up — image
 * files by storage key (measured by the worker, which reads pixels anyway),
 * codes and moodboards as their style vectors, and the model's measurable
 * axes — so a rerun of the job steers identically.
 */
const ZStyleVectorValue = z.number().min(-1).max(1);

export const ZJobStyleRef = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("image"),
    storageKey: z.string().min(1),
    weight: z.number().positive().max(100),
    imageId: z.string().optional(),
    uploadId: z.string().optional(),
  }),
  z.object({
    kind: z.literal("vector"),
    /** The style code the vector was made from (shown to the user). */
    code: z.string().min(1).max(32),
    weight: z.number().positive().max(100),
    vector: z.array(ZStyleVectorValue).max(32),
  }),
]);
export type TJobStyleRef = z.infer<typeof ZJobStyleRef>;

export const ZJobStyleReference = z.object({
  styleWeight: z.number().int().min(STYLE_WEIGHT.min).max(STYLE_WEIGHT.max),
  refs: z.array(ZJobStyleRef).min(1).max(10),
  axes: z
    .array(
      z.object({
        id: z.string(),
        negative: z.string().max(200),
        positive: z.string().max(200),
        gain: z.number().positive().max(20).optional(),
        statistic: z.string().max(64).optional(),
        range: z.tuple([z.number(), z.number(), z.number()]).optional(),
      }),
    )
    .min(1)
    .max(32),
  /** Images are measured at this size (the model's base resolution, where the axis ranges were calibrated). */
  measureSize: z.object({ width: z.number().int().positive().max(4096), height: z.number().int().positive().max(4096) }),
});
export type TJobStyleReference = z.infer<typeof ZJobStyleReference>;
