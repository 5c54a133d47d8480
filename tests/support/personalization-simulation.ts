// Synthetic pools and users: the ground truth for tests and benches (and for an
// API-level check that drives the real endpoints with the same users). A user
// has hidden weights w* and position bias b*; on a pair shown as (L, R) they
// pick left with probability σ(b* + w*ᵀ(L − R)) — exactly the fitted model, so
// "how close is ŵ to w*" measures the estimator and the pair selection, not a
// model mismatch — and they skip near-ties (|w*ᵀ(L − R)| < skipBand) half the
// time. `lapseRate` adds random clicks, which the model does not know about.
import { fitProfile } from "@/lib/personalization/fit";
import { cosine, dot, sigmoid } from "@/lib/personalization/linalg";
import { profileMetrics } from "@/lib/personalization/metrics";
import { createRng, randomInt, randomNormal, type TRng } from "@/lib/personalization/rng";
import { selectNextPair, type TSelectionOptions } from "@/lib/personalization/select";
import type { TAnswer, TCandidatePair, TChoice, TFitOptions, TPairSelection, TProfileFit } from "@/lib/personalization/types";
import { rankedCount, UNLOCK_THRESHOLD } from "@/lib/personalization/unlock";

export interface TSyntheticPoolOptions {
  /** Style axes K. @defaultValue 7 (mirage-tiny's caption axes) */
  axes?: number;
  /** Subject × seed groups. @defaultValue 120 */
  groups?: number;
  /** Styled variants per group besides the neutral image. @defaultValue 16 */
  variantsPerGroup?: number;
  seed?: number;
}

/**
 * A pool shaped like the real one (docs/personalization.md §3): per group a neutral image (s = 0)
 * and sparse variants with values ±0.5 / ±1 — the first K variants active on one
 * axis each (rotated per group), the rest on 2 axes — and every within-group pair
 * whose style vectors differ in 1–3 axes.
 */
export function createSyntheticPool(options: TSyntheticPoolOptions = {}): TCandidatePair[] {
  const k = options.axes ?? 7;
  const groups = options.groups ?? 120;
  const variants = options.variantsPerGroup ?? 16;
  const rng = createRng(options.seed ?? 1);
  const level = (): number => (rng() < 0.5 ? -1 : 1) * (rng() < 0.5 ? 0.5 : 1);
  const pool: TCandidatePair[] = [];
  for (let g = 0; g < groups; g++) {
    const styles: number[][] = [new Array<number>(k).fill(0)];
    for (let v = 0; v < variants; v++) {
      const style = new Array<number>(k).fill(0);
      if (v < k) {
        style[(v + g) % k] = level();
      } else {
        const first = randomInt(rng, k);
        const second = (first + 1 + randomInt(rng, k - 1)) % k;
        style[first] = level();
        style[second] = level();
      }
      styles.push(style);
    }
    for (let i = 0; i < styles.length; i++) {
      for (let j = i + 1; j < styles.length; j++) {
        const a = styles[i]!;
        const b = styles[j]!;
        const differing = a.filter((value, axis) => value !== b[axis]).length;
        if (differing >= 1 && differing <= 3) pool.push({ pairId: `g${g}-${i}-${j}`, groupId: `g${g}`, left: a, right: b });
      }
    }
  }
  return pool;
}

export interface TSyntheticUser {
  weights: number[];
  bias: number;
  /** P(left) for a pair as shown. */
  probabilityLeft(left: readonly number[], right: readonly number[]): number;
  answer(left: readonly number[], right: readonly number[], rng: TRng): TChoice;
}

export interface TSyntheticUserOptions {
  /** U: the sd of the utility difference w*ᵀz over the pool (larger = more decisive, less noise). @defaultValue 2 */
  utilityScale?: number;
  /** b*. @defaultValue 0 */
  bias?: number;
  /** Near-tie band for skips. @defaultValue 0.3 */
  skipBand?: number;
  /** Skip probability inside the band. @defaultValue 0.5 */
  skipProbability?: number;
  /** Share of answers given at random (inattention), a deliberate mismatch with the fitted model. @defaultValue 0 */
  lapseRate?: number;
}

/** A user with a random hidden direction, scaled so that sd(w*ᵀz) over `pool` is U. */
export function createSyntheticUser(pool: readonly TCandidatePair[], rng: TRng, options: TSyntheticUserOptions = {}): TSyntheticUser {
  const k = pool[0]?.left.length ?? 0;
  const direction = Array.from({ length: k }, () => randomNormal(rng));
  let meanSquare = 0;
  for (const pair of pool) meanSquare += dot(direction, pair.left.map((value, i) => value - pair.right[i]!)) ** 2 / pool.length;
  const scale = (options.utilityScale ?? 2) / Math.sqrt(meanSquare);
  const weights = direction.map((value) => value * scale);
  const bias = options.bias ?? 0;
  const skipBand = options.skipBand ?? 0.3;
  const skipProbability = options.skipProbability ?? 0.5;
  const lapseRate = options.lapseRate ?? 0;
  const utility = (left: readonly number[], right: readonly number[]): number => dot(weights, left.map((value, i) => value - right[i]!));
  return {
    weights,
    bias,
    probabilityLeft: (left, right) => lapseRate / 2 + (1 - lapseRate) * sigmoid(bias + utility(left, right)),
    answer(left, right, answerRng) {
      const u = utility(left, right);
      if (Math.abs(u) < skipBand && answerRng() < skipProbability) return "skip";
      const p = lapseRate / 2 + (1 - lapseRate) * sigmoid(bias + u);
      return answerRng() < p ? "left" : "right";
    },
  };
}

export interface TSessionResult {
  answers: TAnswer[];
  fit: TProfileFit;
  /** Wall-clock time of each refit (ms), when a clock was given. */
  fitMillis: number[];
}

/**
 * One ranking session: select → answer → refit, until `required` non-skip
 * answers (or 3× that many shown pairs, a guard against a user who skips all).
 */
export function runSession(
  user: TSyntheticUser,
  pool: readonly TCandidatePair[],
  rng: TRng,
  options: { required?: number; selection?: TSelectionOptions; fit?: TFitOptions; clock?: () => number } = {},
): TSessionResult {
  const required = options.required ?? UNLOCK_THRESHOLD;
  const k = pool[0]?.left.length ?? 0;
  const answers: TAnswer[] = [];
  const fitMillis: number[] = [];
  let fit = fitProfile([], { ...options.fit, dimensions: k });
  while (rankedCount(answers) < required && answers.length < 3 * required) {
    const pair: TPairSelection = selectNextPair({ answers, fit }, pool, rng, options.selection);
    const choice = user.answer(pair.left, pair.right, rng);
    answers.push({ pairId: pair.pairId, groupId: pair.groupId, left: pair.left, right: pair.right, kind: pair.kind, choice });
    const start = options.clock?.();
    fit = fitProfile(answers, { ...options.fit, dimensions: k, initial: [fit.bias, ...fit.weights] });
    if (start !== undefined && options.clock) fitMillis.push(options.clock() - start);
  }
  return { answers, fit, fitMillis };
}

/** `count` fresh pairs from the pool with random sides (for accuracy on unseen pairs). */
export function freshPairs(pool: readonly TCandidatePair[], count: number, rng: TRng): TCandidatePair[] {
  return Array.from({ length: count }, () => {
    const pair = pool[randomInt(rng, pool.length)]!;
    return rng() < 0.5 ? pair : { pairId: pair.pairId, left: pair.right, right: pair.left };
  });
}

/**
 * Expected accuracy of predicting the user's choice with sign(b + wᵀz), computed
 * exactly from the user's choice probabilities rather than sampled (no sampling
 * noise in the comparison). With the user's own (b*, w*) this is the Bayes-optimal
 * accuracy — the best any predictor can do given the user's noise.
 */
export function expectedAccuracy(predictor: { weights: readonly number[]; bias: number }, user: TSyntheticUser, pairs: readonly TCandidatePair[]): number {
  let total = 0;
  for (const pair of pairs) {
    const margin = predictor.bias + dot(predictor.weights, pair.left.map((value, i) => value - pair.right[i]!));
    const p = user.probabilityLeft(pair.left, pair.right);
    total += margin > 0 ? p : margin < 0 ? 1 - p : 0.5;
  }
  return total / pairs.length;
}

export interface TPopulationOptions {
  /** @defaultValue 20 */
  users?: number;
  /** @defaultValue "active" */
  strategy?: "active" | "random";
  /** Seeds users and sessions; the same seed gives the same users for both strategies. @defaultValue 1 */
  seed?: number;
  /** U is drawn uniformly from this range per user. @defaultValue [1.5, 2.5] */
  utilityScale?: readonly [number, number];
  /** |b*| is at most this. @defaultValue 0.3 */
  maxBias?: number;
  /** Passed to every user (see TSyntheticUserOptions). @defaultValue 0 */
  lapseRate?: number;
  /** Fresh pairs per user for the accuracy comparison. @defaultValue 2000 */
  freshPairs?: number;
  clock?: () => number;
}

export interface TUserOutcome {
  /** cos(ŵ, w*). */
  cosine: number;
  /** Expected accuracy of the fit on fresh pairs. */
  accuracy: number;
  /** Bayes-optimal expected accuracy (the user's own model) on the same pairs. */
  bayesAccuracy: number;
  /** In-session held-out accuracy (leave-one-pair-out), as the stored metric reports it. */
  heldOutAccuracy: number | null;
  shown: number;
  skips: number;
  /** Share of axes with |w*_k| > 0.3 whose fitted sign is right. */
  signAgreement: number;
  fitMillis: number[];
  answers: TAnswer[];
  fit: TProfileFit;
}

/**
 * The acceptance experiment: `users` synthetic users (hidden w*, U, b* drawn from
 * `seed`) each answer 200 non-skip pairs chosen by `selectNextPair` from `pool`.
 * User i is the same person under both strategies, so they compare paired.
 */
export function simulatePopulation(pool: readonly TCandidatePair[], options: TPopulationOptions = {}): TUserOutcome[] {
  const [lowU, highU] = options.utilityScale ?? [1.5, 2.5];
  const maxBias = options.maxBias ?? 0.3;
  const seed = options.seed ?? 1;
  return Array.from({ length: options.users ?? 20 }, (_, i) => {
    const userRng = createRng(seed * 7919 + i);
    const user = createSyntheticUser(pool, userRng, {
      utilityScale: lowU + (highU - lowU) * userRng(),
      bias: (2 * userRng() - 1) * maxBias,
      lapseRate: options.lapseRate ?? 0,
    });
    const session = runSession(user, pool, createRng(seed * 104_729 + i), { selection: { strategy: options.strategy ?? "active" }, clock: options.clock });
    const fresh = freshPairs(pool, options.freshPairs ?? 2000, createRng(seed * 15_485_863 + i));
    const strong = user.weights.map((w, k) => ({ w, k })).filter(({ w }) => Math.abs(w) > 0.3);
    const signCorrect = strong.filter(({ w, k }) => Math.sign(session.fit.weights[k]!) === Math.sign(w)).length;
    return {
      cosine: cosine(session.fit.weights, user.weights),
      accuracy: expectedAccuracy(session.fit, user, fresh),
      bayesAccuracy: expectedAccuracy(user, user, fresh),
      heldOutAccuracy: profileMetrics(session.answers, session.fit).heldOut.accuracy,
      shown: session.answers.length,
      skips: session.answers.length - rankedCount(session.answers),
      signAgreement: strong.length > 0 ? signCorrect / strong.length : 1,
      fitMillis: session.fitMillis,
      answers: session.answers,
      fit: session.fit,
    };
  });
}

/** Median of a list (mean of the middle two for even lengths); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
