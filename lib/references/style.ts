// Style references on a model's style axes (docs/references.md): a reference
// image is measured with each axis' pixel statistic, mapped onto [−1, 1] by
// the axis' calibrated statistic range, and applied like a personalization
// preference — the same directions Δ_k, the same gains γ_k, the same log
// strength curve (docs/personalization.md §2, §9). Pure: runs in the browser,
// the web process and the worker.
import { createRng, stylizeStrength } from "@/lib/personalization";

/** A style axis as references use it: measured when it declares a statistic and its range. */
export interface TMeasurableAxis {
  id: string;
  negative: string;
  positive: string;
  /** γ_k. @defaultValue 1 */
  gain?: number;
  /** A key of the pixel statistics (lib/diffusion/eval/pixel-statistics.ts). */
  statistic?: string;
  /**
   * The statistic's mean at the −1 pole, on typical outputs, and at the +1 pole
   * (bench/references/axis-range.ts). Absent: the axis is not measured and a
   * reference image leaves it at 0 (its phrases do not move the statistic one
   * way, so a measurement could not be turned back into a push).
   */
  range?: [number, number, number];
}

/** `--sw` bounds; 100 is the standard strength. */
export const STYLE_WEIGHT = { min: 0, max: 1000, defaultValue: 100 } as const;
/** Style codes (`--sref 1234567`): 1 to 2³²−1, so a code is also a valid RNG seed. */
export const STYLE_CODE_MAX = 4_294_967_295;

/**
 * The model's axes as references use them (axis order kept), or null when no
 * axis can be measured: such a model cannot take an image as a style.
 */
export function measurableAxes(
  axes: readonly { id: string; negative: string; positive: string; gain?: number | undefined; statistic?: string | undefined; statistic_range?: readonly [number, number, number] | undefined }[],
): TMeasurableAxis[] | null {
  const out = axes.map((axis): TMeasurableAxis => ({
    id: axis.id,
    negative: axis.negative,
    positive: axis.positive,
    ...(axis.gain !== undefined && { gain: axis.gain }),
    ...(axis.statistic && axis.statistic_range && { statistic: axis.statistic, range: [axis.statistic_range[0], axis.statistic_range[1], axis.statistic_range[2]] }),
  }));
  return out.some((axis) => axis.range) ? out : null;
}

/**
 * s_k on [−1, 1], piecewise linear through the axis' range: the −1 pole's
 * mean ↦ −1, a typical output's ↦ 0, the +1 pole's ↦ +1, clamped beyond (the
 * pool never showed stronger). Two pieces, because typical outputs do not sit
 * half-way between the poles, and an ordinary image must not push either way.
 * Unmeasured axes (no statistic or range) are 0.
 */
export function styleVectorOf(statistics: readonly (number | null)[], axes: readonly TMeasurableAxis[]): number[] {
  if (statistics.length !== axes.length) throw new RangeError(`styleVectorOf: ${statistics.length} statistics for ${axes.length} axes`);
  return axes.map((axis, k) => {
    const x = statistics[k];
    if (!axis.range || x === null || x === undefined) return 0;
    const [low, typical, high] = axis.range;
    const s = x >= typical ? (x - typical) / (high - typical) : (x - typical) / (typical - low);
    return Number.isFinite(s) ? Math.min(1, Math.max(-1, s)) : 0;
  });
}

/**
 * The style vector of a style code: K independent draws, uniform on [−1, 1],
 * from the seeded RNG (the code is the seed, mixed with K so a code means
 * something of its own on each axis count). The same code always gives the
 * same vector, in any process.
 */
export function styleCodeVector(code: number, k: number): number[] {
  if (!Number.isSafeInteger(code) || code < 1 || code > STYLE_CODE_MAX) throw new RangeError(`style code must be 1 to ${STYLE_CODE_MAX}, got ${code}`);
  const rng = createRng((code ^ Math.imul(k, 0x9e3779b1)) >>> 0);
  return Array.from({ length: k }, () => 2 * rng() - 1);
}

/** Σ w_i s_i / Σ w_i: references blend like colours on a palette, by their weights. */
export function blendStyleVectors(vectors: readonly (readonly number[])[], weights: readonly number[]): number[] {
  const first = vectors[0];
  if (!first) throw new RangeError("blendStyleVectors: no vectors");
  if (weights.length !== vectors.length) throw new RangeError("blendStyleVectors: one weight per vector");
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new RangeError("blendStyleVectors: weights sum to 0");
  return first.map((_, k) => vectors.reduce((sum, vector, i) => sum + weights[i]! * vector[k]!, 0) / total);
}

/**
 * Per-axis steering coefficients λ(sw)·γ_k·s_k, with λ the `--stylize` curve
 * (λ(0) = 0 exactly, λ(100) ≈ 0.36, λ(1000) = 1), so `--sw 0` leaves the
 * conditioning untouched bit for bit.
 */
export function referenceCoefficients(vector: readonly number[], axes: readonly { gain?: number | undefined }[], styleWeight: number): number[] {
  if (vector.length !== axes.length) throw new RangeError(`referenceCoefficients: ${vector.length} values for ${axes.length} axes`);
  const lambda = stylizeStrength(styleWeight);
  return lambda === 0 ? axes.map(() => 0) : axes.map((axis, k) => lambda * (axis.gain ?? 1) * vector[k]!);
}

/** A style vector as a profile's weights (v = tanh w): atanh, bounded so a pole stays finite. */
export function styleVectorAsWeights(vector: readonly number[]): number[] {
  return vector.map((s) => Math.atanh(Math.max(-0.99, Math.min(0.99, s))));
}
