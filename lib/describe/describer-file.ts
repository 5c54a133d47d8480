/**
 * The describer file a model folder ships (mirage.json's `describer` names
 * it; models/mirage-tiny/describer.json): which classifier reads the image,
 * how its labels are written back as prompt words, and the fitted style
 * model. The format is described in docs/describe.md §2.
 *
 * Plain zod, no I/O: the fit script, the worker and tests share it.
 */
import { z } from "zod";

/** The three answers a style axis can have for an image: its negative phrase, neither, its positive phrase. */
export const STYLE_CLASSES = ["negative", "none", "positive"] as const;

const phraseTable = z.record(z.string().min(1), z.string().min(1).max(100));

/** One style axis: a softmax over STYLE_CLASSES, linear in the standardized features (bias last). */
export const ZDescriberStyleAxis = z.strictObject({
  id: z.string().min(1),
  negative: z.string().min(1).max(100),
  positive: z.string().min(1).max(100),
  /** One row per class, in STYLE_CLASSES order; each row has one weight per feature, then the bias. */
  weights: z.array(z.array(z.number())).length(STYLE_CLASSES.length),
  /** Held-out accuracy of this axis when it was fitted (for the docs and the next fit). */
  accuracy: z.number().min(0).max(1).optional(),
});
export type TDescriberStyleAxis = z.infer<typeof ZDescriberStyleAxis>;

export const ZDescriberFile = z
  .strictObject({
    version: z.literal(1),
    /** Folder (relative to the model folder) holding the classifier's judge.json and graph. */
    judge: z.string().min(1),
    /** How each classifier label is written in a prompt; a label missing here is written as itself. */
    phrases: z.strictObject({ size: phraseTable, position: phraseTable, background: phraseTable }),
    /** Colour/background pairs the model never draws; candidates with them are skipped. */
    excluded_pairs: z.array(z.tuple([z.string(), z.string()])).max(200),
    style: z.strictObject({
      /** `stat:<statistic>` (lib/diffusion/eval/pixel-statistics.ts) `background:<label>` or `colour:<label>` (the classifier's probability). */
      features: z.array(z.string().regex(/^(stat|background|colour):[\w-]+$/)).min(1).max(64),
      mean: z.array(z.number()),
      scale: z.array(z.number().positive()),
      /** A style phrase is written only when its class is at least this likely. */
      min_probability: z.number().min(0).max(1),
      axes: z.array(ZDescriberStyleAxis).max(24),
    }),
    /** How the file was made (command, renders, seeds, accuracy); informational. */
    fit: z.looseObject({}).optional(),
  })
  .superRefine((file, ctx) => {
    const n = file.style.features.length;
    if (file.style.mean.length !== n || file.style.scale.length !== n) ctx.addIssue({ code: "custom", message: "style.mean and style.scale need one value per feature" });
    for (const axis of file.style.axes) {
      if (axis.weights.some((row) => row.length !== n + 1)) ctx.addIssue({ code: "custom", message: `style axis ${axis.id}: each weight row needs ${n + 1} values (features, then bias)` });
    }
  });
export type TDescriberFile = z.infer<typeof ZDescriberFile>;
