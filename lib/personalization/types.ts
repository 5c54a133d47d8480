// Shared shapes of the personalization core. Plain data (numbers, strings,
// arrays) so they serialise to JSON and Postgres jsonb without adapters.

export type TChoice = "left" | "right" | "skip";

/**
 * Why a pair was shown; recorded with the answer because the metrics treat them
 * differently. `heldout` pairs are uniform random (an unbiased audit sample),
 * `retest` pairs repeat an earlier pair with the sides swapped.
 */
export type TPairKind = "probe" | "active" | "heldout" | "retest" | "random";

/**
 * One candidate pair from the ranking pool. Both images share subject and seed,
 * so the choice depends only on their style vectors (one coordinate per axis,
 * typically in [−1, 1]). `left`/`right` here are the pool's orientation; the
 * shown orientation is decided by `selectNextPair`.
 */
export interface TCandidatePair {
  pairId: string;
  left: readonly number[];
  right: readonly number[];
  /** Subject×seed group (optional): lets selection avoid showing the same subject twice in a row. */
  groupId?: string;
}

/** A pair as shown to the user (sides already randomised) and why it was picked. */
export interface TPairSelection extends TCandidatePair {
  kind: TPairKind;
  /** True when `left`/`right` are the candidate's `right`/`left`. */
  swapped: boolean;
}

/** One answer: the pair exactly as shown, and the choice. Skips are stored but never used. */
export interface TAnswer {
  pairId: string;
  left: readonly number[];
  right: readonly number[];
  choice: TChoice;
  /** @defaultValue "active" (treated as an ordinary in-fit answer) */
  kind?: TPairKind;
  groupId?: string;
}

export interface TFitOptions {
  /** Prior sd τ of each style weight, N(w̄, τ²). @defaultValue 1 */
  priorSd?: number;
  /** Prior sd σ_b of the left/right position bias, N(0, σ_b²). @defaultValue 0.5 */
  biasPriorSd?: number;
  /** Prior mean w̄ of the style weights (population mean later, 0 at launch). @defaultValue zeros */
  priorMean?: readonly number[];
  /** Newton iteration cap. @defaultValue 25 */
  maxIterations?: number;
  /** Stop when the largest Newton step component is below this. @defaultValue 1e-8 */
  tolerance?: number;
  /** Warm start θ = [bias, ...weights], e.g. the previous fit; only changes the iteration count. */
  initial?: readonly number[];
  /** Number of style axes; needed only when there are no answers to infer it from. */
  dimensions?: number;
}

/**
 * MAP estimate and Laplace posterior of θ = [b, w₁…w_K]: posterior ≈ N(θ̂, Σ)
 * with Σ = H⁻¹, H the negative Hessian of the log posterior at θ̂.
 */
export interface TProfileFit {
  /** ŵ: utility per unit of each style axis. Positive = prefers the axis' + end. */
  weights: number[];
  /** b̂: log-odds of picking the left image at equal style (a UI artefact, never used to generate). */
  bias: number;
  /** Σ over θ = [bias, ...weights], (K+1)×(K+1), row-major nested arrays. */
  covariance: number[][];
  /** √Σ_kk for each weight (per-axis uncertainty, e.g. UI confidence and steering shrinkage). */
  weightSd: number[];
  /** Newton iterations used. */
  iterations: number;
  /** False when the iteration cap was hit before the step fell below the tolerance. */
  converged: boolean;
  /** Non-skip answers the fit used. */
  answerCount: number;
  /** Log posterior (up to a constant) at θ̂. */
  logPosterior: number;
}
