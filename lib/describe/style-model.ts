/**
 * The style words of a description: per style axis, a three-way softmax
 * (negative phrase / neither / positive phrase) that is linear in a few
 * image features — the evaluation's pixel statistics and the classifier's
 * background and colour probabilities, since "dark" means something else at
 * night than in the snow, and "vivid" something else for white than for red. Fitted by lib/describe/fit-describer.ts (docs/describe.md §4).
 */
import { STATISTICS, toFloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import type { RgbImage } from "@/lib/diffusion/pipelines/types";
import { STYLE_CLASSES, type TDescriberFile } from "./describer-file";
import { softmax, type THeadBelief } from "./candidates";

/** The raw feature vector named by `features` (`stat:<name>`, `background:<label>` or `colour:<label>`). */
export function styleFeatures(image: RgbImage, beliefs: Record<"background" | "colour", THeadBelief>, features: readonly string[]): Float64Array {
  const floats = toFloatImage(image);
  return Float64Array.from(features, (feature) => {
    const [kind, name] = feature.split(":") as [string, string];
    if (kind === "stat") {
      const statistic = STATISTICS[name];
      if (!statistic) throw new Error(`unknown statistic ${name} in the describer's style features`);
      return statistic(floats);
    }
    const belief = beliefs[kind as "background" | "colour"];
    const index = belief.labels.indexOf(name);
    return index < 0 ? 0 : (belief.probabilities[index] ?? 0);
  });
}

export function standardize(raw: ArrayLike<number>, mean: readonly number[], scale: readonly number[]): Float64Array {
  return Float64Array.from(mean, (m, i) => (raw[i]! - m) / scale[i]!);
}

/** Class probabilities (STYLE_CLASSES order) of one axis for standardized features. */
export function axisProbabilities(weights: readonly (readonly number[])[], x: ArrayLike<number>): Float64Array {
  return softmax(
    weights.map((row) => {
      let z = row[row.length - 1]!;
      for (let i = 0; i < x.length; i++) z += row[i]! * x[i]!;
      return z;
    }),
  );
}

/** The style phrases an image earns: each axis' negative or positive phrase when it is at least `min_probability` likely. */
export function stylePhrases(style: TDescriberFile["style"], standardized: ArrayLike<number>): string[] {
  const phrases: string[] = [];
  for (const axis of style.axes) {
    const p = axisProbabilities(axis.weights, standardized);
    const best = p.indexOf(Math.max(...p));
    const cls = STYLE_CLASSES[best];
    if (cls === "none" || p[best]! < style.min_probability) continue;
    phrases.push(cls === "negative" ? axis.negative : axis.positive);
  }
  return phrases;
}

/**
 * Multinomial logistic regression by full-batch gradient descent with a
 * small L2 penalty: a few hundred labelled renders and a dozen features, so
 * this converges in well under a second and needs no library.
 */
export function fitSoftmax(x: readonly Float64Array[], y: readonly number[], classes: number, options: { iterations?: number; rate?: number; l2?: number } = {}): number[][] {
  const { iterations = 800, rate = 0.5, l2 = 1e-3 } = options;
  const d = x[0]?.length ?? 0;
  const w = Array.from({ length: classes }, () => new Array<number>(d + 1).fill(0));
  for (let it = 0; it < iterations; it++) {
    const grad = Array.from({ length: classes }, () => new Array<number>(d + 1).fill(0));
    for (let n = 0; n < x.length; n++) {
      const p = axisProbabilities(w, x[n]!);
      for (let c = 0; c < classes; c++) {
        const err = p[c]! - (y[n] === c ? 1 : 0);
        for (let i = 0; i < d; i++) grad[c]![i]! += err * x[n]![i]!;
        grad[c]![d]! += err;
      }
    }
    for (let c = 0; c < classes; c++) {
      for (let i = 0; i <= d; i++) {
        const penalty = i < d ? l2 * w[c]![i]! : 0;
        w[c]![i]! -= rate * (grad[c]![i]! / x.length + penalty);
      }
    }
  }
  return w;
}
