// Quality metrics of a profile (stored with each immutable version).
//
// - Held-out accuracy / log-loss: each `heldout` answer (a uniform random pair) is
//   predicted by a refit on all the *other* pairs. Held-out answers are included
//   in the profile's own fit — at 10 % of a 200-answer session they are too
//   valuable to throw away, and being random pairs they are good training data —
//   and leave-one-pair-out keeps the score honest: the refit never sees any
//   answer on that pair (retests included). A warm-started refit costs 2–3 Newton
//   steps, so 20 refits are ~1 ms. Prequential scoring ("score before fitting")
//   was rejected: it grades early answers with a fit from a handful of answers and
//   so measures the learning curve, not the profile that is stored.
// - Split-half agreement: fits on the odd and the even answers (in order shown);
//   cosine of their weight vectors. A stability signal (depends on n), not a gate.
// - Consistency: share of retests where the user chose the same *image* as the
//   first time (sides were swapped, so a pure side habit scores 0). For a user with
//   a per-pair probability p of the preferred image, agreement is c = p² + (1−p)²,
//   so the best possible accuracy on such pairs is p_max = (1 + √(2c − 1)) / 2.
import { fitProfile, informativeAnswers, predictLeft } from "./fit";
import { cosine } from "./linalg";
import type { TAnswer, TFitOptions, TProfileFit } from "./types";

export interface TProfileMetrics {
  answerCount: number;
  skipCount: number;
  /** skips / all shown pairs (0 when nothing was shown). */
  skipRate: number;
  heldOut: { count: number; accuracy: number | null; logLoss: number | null };
  /** cos(ŵ_odd, ŵ_even); null with fewer than 10 answers per half. */
  splitHalfCosine: number | null;
  consistency: { count: number; agreement: number | null; noiseCeiling: number | null };
  /** 1 − tr Σ_w / tr Σ₀_w: 0 = nothing learnt, → 1 = weights pinned down. */
  posteriorContraction: number;
  /** b̂; a large |b̂| points to a UI problem (one side favoured), not taste. */
  bias: number;
  /** QA flag, not a gate: held-out accuracy ≥ 0.65 and split-half cosine ≥ 0.5. */
  isStable: boolean;
}

const MIN_HALF = 10;

function chosenImage(answer: TAnswer): readonly number[] | null {
  if (answer.choice === "skip") return null;
  return answer.choice === "left" ? answer.left : answer.right;
}

function heldOutScores(answers: readonly TAnswer[], fit: TProfileFit, options: TFitOptions): TProfileMetrics["heldOut"] {
  const audits = answers.filter((answer) => answer.kind === "heldout" && answer.choice !== "skip");
  if (audits.length === 0) return { count: 0, accuracy: null, logLoss: null };
  const initial = [fit.bias, ...fit.weights];
  const dimensions = fit.weights.length;
  let correct = 0;
  let logLoss = 0;
  for (const audit of audits) {
    const others = answers.filter((answer) => answer.pairId !== audit.pairId);
    const refit = fitProfile(others, { ...options, initial, dimensions });
    const p = predictLeft(refit, audit.left, audit.right);
    const pChosen = audit.choice === "left" ? p : 1 - p;
    correct += pChosen > 0.5 ? 1 : pChosen === 0.5 ? 0.5 : 0;
    logLoss -= Math.log(Math.max(pChosen, 1e-12));
  }
  return { count: audits.length, accuracy: correct / audits.length, logLoss: logLoss / audits.length };
}

function splitHalf(answers: readonly TAnswer[], options: TFitOptions, dimensions: number): number | null {
  const used = informativeAnswers(answers);
  const odd = used.filter((_, i) => i % 2 === 1);
  const even = used.filter((_, i) => i % 2 === 0);
  if (odd.length < MIN_HALF) return null;
  return cosine(fitProfile(odd, { ...options, dimensions }).weights, fitProfile(even, { ...options, dimensions }).weights);
}

function consistency(answers: readonly TAnswer[]): TProfileMetrics["consistency"] {
  let count = 0;
  let agreed = 0;
  answers.forEach((retest, index) => {
    if (retest.kind !== "retest") return;
    const second = chosenImage(retest);
    const original = answers.slice(0, index).find((answer) => answer.pairId === retest.pairId && answer.kind !== "retest");
    const first = original ? chosenImage(original) : null;
    if (!second || !first) return;
    count++;
    if (first.length === second.length && first.every((value, i) => value === second[i])) agreed++;
  });
  if (count === 0) return { count, agreement: null, noiseCeiling: null };
  const agreement = agreed / count;
  return { count, agreement, noiseCeiling: (1 + Math.sqrt(Math.max(0, 2 * agreement - 1))) / 2 };
}

/**
 * Metrics of `fit` (the profile fitted on `answers` with `options`). Pass the same
 * options the profile was fitted with: the held-out and split-half refits use them.
 */
export function profileMetrics(answers: readonly TAnswer[], fit: TProfileFit, options: TFitOptions = {}): TProfileMetrics {
  const answerCount = informativeAnswers(answers).length;
  const skipCount = answers.length - answerCount;
  const heldOut = heldOutScores(answers, fit, options);
  const splitHalfCosine = splitHalf(answers, options, fit.weights.length);
  const tau = options.priorSd ?? 1;
  const priorTrace = fit.weights.length * tau * tau;
  const posteriorTrace = fit.weightSd.reduce((sum, sd) => sum + sd * sd, 0);
  return {
    answerCount,
    skipCount,
    skipRate: answers.length > 0 ? skipCount / answers.length : 0,
    heldOut,
    splitHalfCosine,
    consistency: consistency(answers),
    posteriorContraction: 1 - posteriorTrace / priorTrace,
    bias: fit.bias,
    isStable: (heldOut.accuracy ?? 0) >= 0.65 && (splitHalfCosine ?? 0) >= 0.5,
  };
}
