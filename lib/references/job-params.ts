import { z } from "zod";
import { STYLE_WEIGHT } from "./style";

/**
 * Style references as a job stores them (docs/references.md §3): resolved at
 * acceptance to style vectors — images measured by the web process, codes
 * drawn from their seed — with the model's axes, so the worker looks nothing
 * up and a rerun of the job steers identically.
 */
export const ZJobStyleRef = z.object({
  /** What the reference was: an image or upload id, a URL's upload id, or a style code. */
  source: z.enum(["image", "upload", "code"]),
  /** The id or the code. */
  ref: z.string().min(1).max(64),
  weight: z.number().positive().max(100),
  vector: z.array(z.number().min(-1).max(1)).max(32),
});
export type TJobStyleRef = z.infer<typeof ZJobStyleRef>;

export const ZJobStyleReference = z.object({
  styleWeight: z.number().int().min(STYLE_WEIGHT.min).max(STYLE_WEIGHT.max),
  refs: z.array(ZJobStyleRef).min(1).max(10),
  axes: z.array(z.object({ id: z.string(), negative: z.string().max(200), positive: z.string().max(200), gain: z.number().positive().max(20).optional() })).min(1).max(32),
});
export type TJobStyleReference = z.infer<typeof ZJobStyleReference>;
