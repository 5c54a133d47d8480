import path from "node:path";
import { readModelLayout } from "@/lib/diffusion/model/layout";
import { AppError } from "@/lib/errors";

/**
 * A model's style axes: the preference space of personalization is its
 * control space. Each axis is a pair of opposite phrases; the ranking pool
 * appends them to prompts, and generation steers the text conditioning along
 * E(positive) − E(negative). Mirage's own models list theirs in `mirage.json`
 * (`style_axes`); any other SD export gets DEFAULT_STYLE_AXES.
 */
export interface TStyleAxis {
  id: string;
  negative: string;
  positive: string;
  /** The pixel statistic that measures the axis (tests, calibration); optional. */
  statistic?: string;
  /** The statistic at the −1 pole, typical and at the +1 pole; with `statistic`, lets a style reference be measured on this axis (docs/references.md §2). */
  statistic_range?: [number, number, number];
  /**
   * γ_k: the axis' steering gain from calibration (docs/personalization.md, "Steering gain"):
   * some phrase pairs move the text conditioning, and so the image, far less
   * than others; γ scales E(positive) − E(negative) so that a full preference
   * at --s 1000 moves every axis' statistic visibly. Default 1.
   */
  gain?: number;
}

/** The one default set, for SD exports whose manifest names no axes (phrases SD 1.x/2.x understand). */
export const DEFAULT_STYLE_AXES: readonly TStyleAxis[] = [
  { id: "saturation", negative: "muted desaturated colours", positive: "vivid saturated colours", statistic: "mean_saturation" },
  { id: "temperature", negative: "cool blue tones", positive: "warm golden tones", statistic: "warmth" },
  { id: "brightness", negative: "dark moody lighting", positive: "bright airy lighting", statistic: "mean_luminance" },
  { id: "contrast", negative: "soft flat lighting", positive: "high contrast chiaroscuro" },
  { id: "detail", negative: "minimal simple", positive: "intricate detailed", statistic: "high_frequency_energy" },
  { id: "medium", negative: "photograph", positive: "digital illustration" },
  { id: "composition", negative: "static centred composition", positive: "dynamic diagonal composition" },
  { id: "texture", negative: "clean sharp", positive: "painterly brush strokes" },
];

/** Subjects for the ranking pool of a model without a vocabulary in its manifest. */
export const DEFAULT_POOL_SUBJECTS: readonly string[] = [
  "a portrait of a woman",
  "a mountain landscape",
  "a cat on a sofa",
  "a city street",
  "a bowl of fruit",
  "a sailing boat",
  "a cosy interior",
  "an old castle",
  "a bird on a branch",
  "a sports car",
  "a forest path",
  "a lighthouse by the sea",
];

export interface TModelStyle {
  axes: TStyleAxis[];
  subjects: string[];
}

const cache = new Map<string, Promise<TModelStyle>>();

/** The style axes and pool subjects of one installed model (read once per process). */
export function modelStyle(modelsDir: string, modelId: string): Promise<TModelStyle> {
  const key = path.resolve(modelsDir, modelId);
  let style = cache.get(key);
  if (!style) {
    style = readModelLayout(key).then((layout) => {
      // A broken manifest must not quietly fall back to the default axes: the
      // pool would be rendered, and profiles fitted, on axes the model was not
      // described with. Personalization for this model waits for a fix (the
      // manifest reader leaves an invalid section out and says why).
      const { style_axes: axesProblem, vocabulary: vocabularyProblem } = layout.manifestProblems;
      if (axesProblem || vocabularyProblem) {
        const problem = [axesProblem && `style_axes: ${axesProblem}`, vocabularyProblem && `vocabulary: ${vocabularyProblem}`].filter(Boolean).join("; ");
        throw new AppError("UNAVAILABLE", `Personalization is unavailable for ${modelId}: its mirage.json has invalid style axes or vocabulary (${problem}). An admin needs to fix the manifest.`);
      }
      const manifest = layout.manifest ?? {};
      const axes = manifest.style_axes?.map((axis) => ({ ...axis })) ?? DEFAULT_STYLE_AXES.map((axis) => ({ ...axis }));
      const vocabulary = manifest.vocabulary;
      const subjects = vocabulary?.subjects
        ? vocabulary.subjects.map((subject, i) => {
            const colour = vocabulary.colours?.[(i * 5) % vocabulary.colours.length];
            return colour ? `a ${colour} ${subject}` : `a ${subject}`;
          })
        : [...DEFAULT_POOL_SUBJECTS];
      return { axes, subjects };
    });
    style.catch(() => cache.delete(key));
    cache.set(key, style);
  }
  return style;
}
