// Which pair to show next. Position t = number of pairs already shown
// (answers.length; skipped pairs were shown too). The schedule, in priority order:
//
// 1. Held-out audit (every `heldOutEvery`-th pair: t = 9, 19, 29, …): a uniform
//    random unseen candidate. Random pairs are the only unbiased sample of "pairs
//    in general", so their accuracy estimates accuracy on fresh pairs; an actively
//    chosen pair is near 50/50 by design and would make any model look poor.
// 2. Retest (`retestCount` times, one due every `retestEvery` pairs from
//    t = `retestAfter`; a due retest displaced by an audit comes at the next free
//    position): an earlier answered probe/active/random pair, at least 20 pairs
//    back, shown with its sides swapped. Agreement across the swap measures the
//    user's own noise (test–retest) and separates taste from position bias.
// 3. Probe (until every axis has a non-skip probe, at most 2K probe pairs): for an
//    uncovered axis k, a candidate whose style difference lies (almost) entirely
//    on axis k. One clean answer per axis anchors every weight early, so the
//    active phase does not start from a prior that is flat in every direction.
// 4. Active: from a random sample of unseen candidates, score the expected
//    information of the answer about w,
//        gain(z) = log(1 + p(1 − p) · zᵀ Σ_w z),   p = σ(ŵᵀz),  z = left − right,
//    which is the log-determinant shrink of the Laplace posterior after one more
//    answer (D-optimal design: det(H + c·zzᵀ) = det H · (1 + c·zᵀΣz), c = p(1−p));
//    to first order in zᵀΣ_w z it ranks pairs like the mutual information
//    between the answer and w (BALD). Take the best, except
//    with probability `exploreProbability` a uniform pick among the top
//    `topK`: pure greedy selection keeps re-asking near-duplicate pairs and
//    over-trusts a wrong early fit; a little randomness fixes both at ~no cost.
//    Candidates from the subject×seed groups of the last `recentGroups` shown
//    pairs are skipped when the pool carries `groupId`s (variety for the user;
//    audits stay uniform).
//
// Sides are randomised for every non-retest pair, so the bias b and the weights
// w are identifiable and the user cannot learn "left is always the new style".
// The bias is excluded from the gain: it is a nuisance parameter, and the random
// sides already estimate it.
import { fitInternal } from "./fit";
import { sigmoid } from "./linalg";
import { randomInt, type TRng } from "./rng";
import type { TAnswer, TCandidatePair, TPairKind, TPairSelection, TProfileFit } from "./types";

export interface TSelectionOptions {
  /** "random" replaces probe and active picks with uniform random ones (the baseline for comparisons). @defaultValue "active" */
  strategy?: "active" | "random";
  /** Every n-th shown pair is a held-out uniform random pair. @defaultValue 10 */
  heldOutEvery?: number;
  /** Swapped repeats per session. @defaultValue 8 */
  retestCount?: number;
  /** First position at which retests may appear. @defaultValue 100 */
  retestAfter?: number;
  /** Spacing of retests. @defaultValue 10 */
  retestEvery?: number;
  /** Active picks avoid the groups of this many most recent pairs. @defaultValue 5 */
  recentGroups?: number;
  /** Candidates scored per active pick (all of them when the pool is smaller). @defaultValue 512 */
  sampleSize?: number;
  /** Size of the exploration set. @defaultValue 32 */
  topK?: number;
  /** Probability of exploring among the top K instead of taking the best. @defaultValue 0.15 */
  exploreProbability?: number;
}

export interface TSelectionState {
  /** Every answer so far, skips included, in the order shown. */
  answers: readonly TAnswer[];
  /** The current fit; computed from `answers` when absent. */
  fit?: TProfileFit;
  /**
   * Pairs offered but not answered yet (the ranking screen keeps one on screen
   * and one prefetched, and drops a prefetch when it already holds a pair).
   * They are never offered again while pending, and a pending retest counts as
   * a retest made. They neither move the schedule (audit and retest positions
   * count answered pairs only: counting dropped prefetches would put every
   * audit on a slot the screen drops, and no audit would ever be answered) nor
   * count as recent groups (one dropped prefetch per answer would soon exclude
   * every group).
   */
  pending?: readonly TAnswer[];
}

export const SELECTION_DEFAULTS = {
  strategy: "active",
  heldOutEvery: 10,
  retestCount: 8,
  retestAfter: 100,
  retestEvery: 10,
  recentGroups: 5,
  sampleSize: 512,
  topK: 32,
  exploreProbability: 0.15,
} as const;

/** Minimum distance (in shown pairs) between an answer and its retest, so the first answer is not simply remembered. */
const RETEST_MIN_GAP = 20;

/** Index of the axis carrying the largest share of a style difference. */
export function dominantAxis(left: readonly number[], right: readonly number[]): number {
  let best = 0;
  let bestMagnitude = -1;
  for (let i = 0; i < left.length; i++) {
    const magnitude = Math.abs(left[i]! - right[i]!);
    if (magnitude > bestMagnitude) {
      best = i;
      bestMagnitude = magnitude;
    }
  }
  return best;
}

function sameVector(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function present(candidate: TCandidatePair, kind: TPairKind, swapped: boolean): TPairSelection {
  const [left, right] = swapped ? [candidate.right, candidate.left] : [candidate.left, candidate.right];
  return candidate.groupId === undefined
    ? { pairId: candidate.pairId, left, right, kind, swapped }
    : { pairId: candidate.pairId, groupId: candidate.groupId, left, right, kind, swapped };
}

/** A uniform random candidate that is not excluded (any candidate when all are). */
function randomAllowed(candidates: readonly TCandidatePair[], isExcluded: (candidate: TCandidatePair) => boolean, rng: TRng): TCandidatePair {
  // Rejection sampling is O(1) while most of the pool is allowed (the normal case: 200 of ~16k shown).
  for (let attempt = 0; attempt < 64; attempt++) {
    const candidate = candidates[randomInt(rng, candidates.length)]!;
    if (!isExcluded(candidate)) return candidate;
  }
  const allowed = candidates.filter((candidate) => !isExcluded(candidate));
  const from = allowed.length > 0 ? allowed : candidates;
  return from[randomInt(rng, from.length)]!;
}

function randomUnseen(candidates: readonly TCandidatePair[], shown: ReadonlySet<string>, rng: TRng): TCandidatePair {
  return randomAllowed(candidates, (candidate) => shown.has(candidate.pairId), rng);
}

function pickRetest(answers: readonly TAnswer[], pending: readonly TAnswer[], candidates: readonly TCandidatePair[], rng: TRng): TPairSelection | null {
  // A pending pair is on its way to the user already: not a retest candidate now.
  const retested = new Set([...answers.filter((answer) => answer.kind === "retest"), ...pending].map((answer) => answer.pairId));
  const eligible = answers.filter(
    (answer, index) =>
      index <= answers.length - RETEST_MIN_GAP &&
      answer.choice !== "skip" &&
      (answer.kind === undefined || answer.kind === "active" || answer.kind === "probe" || answer.kind === "random") &&
      !retested.has(answer.pairId),
  );
  if (eligible.length === 0) return null;
  const earlier = eligible[randomInt(rng, eligible.length)]!;
  // Swapped relative to the earlier presentation; `swapped` is reported relative to the pool's orientation.
  const candidate = candidates.find((c) => c.pairId === earlier.pairId);
  const swapped = candidate ? !sameVector(candidate.left, earlier.right) : true;
  const retest: TPairSelection = { pairId: earlier.pairId, left: earlier.right, right: earlier.left, kind: "retest", swapped };
  return earlier.groupId === undefined ? retest : { ...retest, groupId: earlier.groupId };
}

function pickProbe(answers: readonly TAnswer[], candidates: readonly TCandidatePair[], shown: ReadonlySet<string>, rng: TRng): TCandidatePair | null {
  const k = candidates[0]!.left.length;
  const probes = answers.filter((answer) => answer.kind === "probe");
  if (probes.length >= 2 * k) return null; // a user who skips every probe gets on with the session
  const covered = new Set(probes.filter((answer) => answer.choice !== "skip").map((answer) => dominantAxis(answer.left, answer.right)));
  const uncovered = Array.from({ length: k }, (_, axis) => axis).filter((axis) => !covered.has(axis));
  if (uncovered.length === 0) return null;
  const axis = uncovered[randomInt(rng, uncovered.length)]!;
  // Purity = share of the squared difference on `axis`; keep every candidate within 1e-9 of the best.
  let bestPurity = 0;
  let best: TCandidatePair[] = [];
  for (const candidate of candidates) {
    if (shown.has(candidate.pairId)) continue;
    let total = 0;
    for (let i = 0; i < k; i++) total += (candidate.left[i]! - candidate.right[i]!) ** 2;
    if (total === 0) continue;
    const purity = (candidate.left[axis]! - candidate.right[axis]!) ** 2 / total;
    if (purity > bestPurity + 1e-9) {
      bestPurity = purity;
      best = [candidate];
    } else if (purity >= bestPurity - 1e-9) {
      best.push(candidate);
    }
  }
  return best.length > 0 ? best[randomInt(rng, best.length)]! : null;
}

function pickActive(
  state: TSelectionState,
  candidates: readonly TCandidatePair[],
  shown: ReadonlySet<string>,
  rng: TRng,
  options: Required<TSelectionOptions>,
): TCandidatePair {
  const k = candidates[0]!.left.length;
  const d = k + 1;
  if (state.fit && state.fit.weights.length !== k) throw new RangeError(`selectNextPair: fit has ${state.fit.weights.length} axes, pool has ${k}`);
  // Weights and their covariance Σ_w (the lower-right K×K block of Σ).
  let weights: readonly number[];
  const sigmaW = new Float64Array(k * k);
  if (state.fit) {
    weights = state.fit.weights;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sigmaW[i * k + j] = state.fit.covariance[i + 1]![j + 1]!;
  } else {
    const fit = fitInternal(state.answers, { dimensions: k });
    weights = Array.from(fit.theta.subarray(1));
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sigmaW[i * k + j] = fit.sigma[(i + 1) * d + j + 1]!;
  }

  const recent = new Set(
    state.answers
      .slice(-options.recentGroups)
      .map((answer) => answer.groupId)
      .filter((groupId) => groupId !== undefined),
  );
  const isExcluded = (candidate: TCandidatePair): boolean =>
    shown.has(candidate.pairId) || (candidate.groupId !== undefined && recent.has(candidate.groupId));
  const sample: TCandidatePair[] =
    candidates.length <= options.sampleSize
      ? candidates.filter((candidate) => !isExcluded(candidate))
      : Array.from({ length: options.sampleSize }, () => randomAllowed(candidates, isExcluded, rng));
  if (sample.length === 0) return randomUnseen(candidates, shown, rng);

  const z = new Float64Array(k);
  const nonZero = new Int32Array(k);
  const scored = sample.map((candidate) => {
    let count = 0;
    let mu = 0;
    for (let i = 0; i < k; i++) {
      const zi = candidate.left[i]! - candidate.right[i]!;
      z[i] = zi;
      if (zi !== 0) {
        nonZero[count++] = i;
        mu += weights[i]! * zi;
      }
    }
    let q = 0; // zᵀΣ_w z over the non-zero entries only (pool pairs differ in 1–3 axes)
    for (let a = 0; a < count; a++) {
      const i = nonZero[a]!;
      for (let b = 0; b < count; b++) q += z[i]! * sigmaW[i * k + nonZero[b]!]! * z[nonZero[b]!]!;
    }
    const p = sigmoid(mu);
    return { candidate, gain: Math.log1p(p * (1 - p) * q) };
  });
  scored.sort((a, b) => b.gain - a.gain);
  if (rng() < options.exploreProbability) {
    return scored[randomInt(rng, Math.min(options.topK, scored.length))]!.candidate;
  }
  return scored[0]!.candidate;
}

/**
 * The next pair to show, oriented (sides randomised) and labelled with why it was
 * chosen. Pure given `rng`: the same state, pool and generator state give the
 * same pair. Throws on an empty pool.
 */
export function selectNextPair(
  state: TSelectionState,
  candidates: readonly TCandidatePair[],
  rng: TRng,
  options: TSelectionOptions = {},
): TPairSelection {
  if (candidates.length === 0) throw new RangeError("selectNextPair: empty candidate pool");
  const settings: Required<TSelectionOptions> = { ...SELECTION_DEFAULTS, ...options };
  const t = state.answers.length;
  const pending = state.pending ?? [];
  const shown = new Set([...state.answers, ...pending].map((answer) => answer.pairId));

  if ((t + 1) % settings.heldOutEvery === 0) {
    return present(randomUnseen(candidates, shown, rng), "heldout", rng() < 0.5);
  }
  // Pending retests count as done: the one on screen would otherwise be doubled by the next offer.
  const retestsSoFar = [...state.answers, ...pending].filter((answer) => answer.kind === "retest").length;
  const retestsDue = t < settings.retestAfter ? 0 : Math.min(settings.retestCount, Math.floor((t - settings.retestAfter) / settings.retestEvery) + 1);
  if (retestsSoFar < retestsDue) {
    const retest = pickRetest(state.answers, pending, candidates, rng);
    if (retest) return retest;
  }
  if (settings.strategy === "random") {
    return present(randomUnseen(candidates, shown, rng), "random", rng() < 0.5);
  }
  const probe = pickProbe(state.answers, candidates, shown, rng);
  if (probe) return present(probe, "probe", rng() < 0.5);
  return present(pickActive(state, candidates, shown, rng, settings), "active", rng() < 0.5);
}
