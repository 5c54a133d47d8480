// From a profile's weights to per-axis steering coefficients for the text
// conditioning (the generator applies c' = c + Σ_k coefficient_k · Δ_k, where
// Δ_k is axis k's embedding direction; see docs/personalization.md §2, §9).
//
//   ŵ_shrunk,k = ŵ_k / √(1 + π σ_k² / 8)       uncertain axes count less
//   v_k        = tanh(ŵ_shrunk,k / τ_s)          bounded in (−1, 1): the pool was
//                                                 rendered with |s_k| ≤ 1, so the user
//                                                 never judged anything stronger
//   λ(s)       = λ_max · ln(1 + s/50) / ln 21    s = --stylize ∈ [0, 1000]
//   coefficient_k = λ(s) · γ_k · v_k             γ_k = the axis' calibrated gain
//
// The curve: λ(0) = 0 exactly (so `--s 0` is bit-for-bit the unpersonalized
// conditioning), λ(100) = ln 3 / ln 21 ≈ 0.361 λ_max (standard), λ(1000) = λ_max
// (maximum), strictly increasing and concave — the log spacing matches how
// stylize values are used (25, 50, 100, 250, 500, 1000 each feel like a step).
// λ_max = 1 is the strength the ranking pool was rendered at.
export const STYLIZE_MIN = 0;
export const STYLIZE_STANDARD = 100;
export const STYLIZE_MAX = 1000;

export interface TSteeringAxis {
  id: string;
  /** γ_k from the basis calibration (±1 on the axis moves its proxy by ≈ 1 pool sd). @defaultValue 1 */
  gain?: number;
}

export interface TSteeringOptions {
  /** Per-axis posterior sd of the weights (TProfileFit.weightSd); none = no shrinkage. */
  weightSd?: readonly number[];
  /** τ_s of the tanh squash. @defaultValue 1 */
  temperature?: number;
  /** λ_max, the strength at --s 1000. @defaultValue 1 */
  lambdaMax?: number;
}

export interface TStyleSteering {
  /** λ(s). */
  lambda: number;
  /** v: the bounded per-axis preference (independent of stylize; stored with the job). */
  preference: number[];
  /** λ(s) · γ_k · v_k, one per axis in `axes` order; all exactly +0 at stylize 0. */
  coefficients: number[];
}

/** λ(s) = λ_max · ln(1 + s/50) / ln 21 on [0, 1000]; throws outside it. */
export function stylizeStrength(stylize: number, lambdaMax = 1): number {
  if (!Number.isFinite(stylize) || stylize < STYLIZE_MIN || stylize > STYLIZE_MAX) {
    throw new RangeError(`stylize must be in [${STYLIZE_MIN}, ${STYLIZE_MAX}], got ${stylize}`);
  }
  return (lambdaMax * Math.log1p(stylize / 50)) / Math.log(21);
}

export function styleSteering(weights: readonly number[], axes: readonly TSteeringAxis[], stylize: number, options: TSteeringOptions = {}): TStyleSteering {
  if (weights.length !== axes.length) throw new RangeError(`styleSteering: ${weights.length} weights for ${axes.length} axes`);
  if (options.weightSd && options.weightSd.length !== weights.length) throw new RangeError("styleSteering: weightSd length differs from weights");
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0)) throw new RangeError("styleSteering: temperature must be positive");
  const lambda = stylizeStrength(stylize, options.lambdaMax ?? 1);
  const preference = weights.map((w, k) => {
    const sd = options.weightSd?.[k] ?? 0;
    const shrunk = w / Math.sqrt(1 + (Math.PI * sd * sd) / 8);
    return Math.tanh(shrunk / temperature);
  });
  // An explicit zero branch: λ = 0 times a negative v would give −0, and "exactly
  // zero" should hold for Object.is as well as for ===.
  const coefficients = lambda === 0 ? axes.map(() => 0) : axes.map((axis, k) => lambda * (axis.gain ?? 1) * preference[k]!);
  return { lambda, preference, coefficients };
}
