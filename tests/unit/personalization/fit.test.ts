import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fitProfile, predictLeft, type TAnswer } from "@/lib/personalization";
import { answer, onAxis } from "./helpers";

const K = 3;
const level = fc.constantFrom(-1, -0.5, 0, 0.5, 1);
const styleVector = fc.array(level, { minLength: K, maxLength: K });
const arbitraryAnswer = fc
  .record({ left: styleVector, right: styleVector, choice: fc.constantFrom("left", "right", "skip") as fc.Arbitrary<TAnswer["choice"]> })
  .map(({ left, right, choice }) => answer(left, right, choice));
const arbitraryAnswers = fc.array(arbitraryAnswer, { maxLength: 40 });

/** Gradient of the log posterior at the fitted θ, computed independently of fit.ts. */
function gradientAt(answers: readonly TAnswer[], theta: number[], priorSd = 1, biasPriorSd = 0.5): number[] {
  const g = theta.map((value, i) => -value / (i === 0 ? biasPriorSd ** 2 : priorSd ** 2));
  for (const a of answers) {
    if (a.choice === "skip") continue;
    const x = [1, ...a.left.map((value, i) => value - a.right[i]!)];
    const eta = x.reduce((sum, xi, i) => sum + xi * theta[i]!, 0);
    const residual = (a.choice === "left" ? 1 : 0) - 1 / (1 + Math.exp(-eta));
    x.forEach((xi, i) => (g[i] = g[i]! + residual * xi));
  }
  return g;
}

describe("fitProfile", () => {
  it("returns the prior (θ = 0, Σ = diag(σ_b², τ², …)) with no answers", () => {
    const fit = fitProfile([], { dimensions: 2 });
    expect(fit.weights).toEqual([0, 0]);
    expect(fit.bias).toBe(0);
    expect(fit.covariance).toEqual([
      [0.25, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(fit.weightSd).toEqual([1, 1]);
    expect(fit.converged).toBe(true);
    expect(fit.answerCount).toBe(0);
  });

  it("finds the MAP: the gradient of the log posterior vanishes, and Newton converges in a few steps", () => {
    fc.assert(
      fc.property(arbitraryAnswers, (answers) => {
        const fit = fitProfile(answers, { dimensions: K });
        expect(fit.converged).toBe(true);
        expect(fit.iterations).toBeLessThanOrEqual(10);
        for (const gi of gradientAt(answers, [fit.bias, ...fit.weights])) expect(Math.abs(gi)).toBeLessThan(1e-7);
      }),
    );
  });

  it("learns the sign of a clear preference and reports less uncertainty on the axis it saw", () => {
    const answers = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0 ? answer(onAxis(K, 0, 1), onAxis(K, 0, 0), "left", `a${i}`) : answer(onAxis(K, 0, 0), onAxis(K, 0, 1), "right", `b${i}`),
    );
    const fit = fitProfile(answers);
    expect(fit.weights[0]).toBeGreaterThan(1);
    expect(fit.weights[1]).toBe(0);
    expect(fit.weightSd[0]).toBeLessThan(fit.weightSd[1]!);
    expect(predictLeft(fit, onAxis(K, 0, 1), onAxis(K, 0, -1))).toBeGreaterThan(0.9);
  });

  it("ignores skips bit for bit", () => {
    fc.assert(
      fc.property(arbitraryAnswers, fc.array(styleVector, { maxLength: 10 }), (answers, skipped) => {
        const withSkips = [...answers];
        skipped.forEach((style, i) => withSkips.splice((i * 3) % (withSkips.length + 1), 0, answer(style, onAxis(K, i % K), "skip")));
        expect(fitProfile(withSkips, { dimensions: K })).toEqual(fitProfile(answers, { dimensions: K }));
      }),
    );
  });

  it("is symmetric: swapping sides (same image chosen) negates only the bias; flipping every choice negates θ", () => {
    fc.assert(
      fc.property(arbitraryAnswers, (answers) => {
        const fit = fitProfile(answers, { dimensions: K });
        const swapped = fitProfile(
          answers.map((a) => ({ ...a, left: a.right, right: a.left, choice: a.choice === "left" ? "right" : a.choice === "right" ? "left" : "skip" })),
          { dimensions: K },
        );
        const flipped = fitProfile(
          answers.map((a) => ({ ...a, choice: a.choice === "left" ? "right" : a.choice === "right" ? "left" : "skip" })),
          { dimensions: K },
        );
        swapped.weights.forEach((w, i) => expect(w).toBeCloseTo(fit.weights[i]!, 8));
        expect(swapped.bias).toBeCloseTo(-fit.bias, 8);
        flipped.weights.forEach((w, i) => expect(w).toBeCloseTo(-fit.weights[i]!, 8));
        expect(flipped.bias).toBeCloseTo(-fit.bias, 8);
      }),
    );
  });

  it("depends on data and prior only through their ratio: doubled data with a doubled prior precision gives the same θ̂", () => {
    fc.assert(
      fc.property(arbitraryAnswers, (answers) => {
        const fit = fitProfile(answers, { dimensions: K });
        const doubled = fitProfile([...answers, ...answers], { dimensions: K, priorSd: 1 / Math.SQRT2, biasPriorSd: 0.5 / Math.SQRT2 });
        doubled.weights.forEach((w, i) => expect(w).toBeCloseTo(fit.weights[i]!, 8));
        expect(doubled.bias).toBeCloseTo(fit.bias, 8);
      }),
    );
  });

  it("never reports more uncertainty than the prior (Σ ⪯ Σ₀, so tr Σ ≤ tr Σ₀ and every sd ≤ τ)", () => {
    fc.assert(
      fc.property(arbitraryAnswers, fc.double({ min: 0.2, max: 5, noNaN: true }), (answers, priorSd) => {
        const fit = fitProfile(answers, { dimensions: K, priorSd });
        for (const sd of fit.weightSd) expect(sd).toBeLessThanOrEqual(priorSd * (1 + 1e-12));
      }),
    );
  });

  it("is independent of the starting point (warm start changes iterations, not the answer)", () => {
    fc.assert(
      fc.property(arbitraryAnswers, fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: K + 1, maxLength: K + 1 }), (answers, initial) => {
        const cold = fitProfile(answers, { dimensions: K });
        const warm = fitProfile(answers, { dimensions: K, initial });
        warm.weights.forEach((w, i) => expect(w).toBeCloseTo(cold.weights[i]!, 7));
      }),
    );
  });

  it("shrinks towards a given prior mean", () => {
    const fit = fitProfile([], { dimensions: 2, priorMean: [0.5, -1] });
    expect(fit.weights).toEqual([0.5, -1]);
  });

  it("stays finite and monotone on perfectly separable answers (the prior regularises)", () => {
    const answers = Array.from({ length: 100 }, (_, i) => answer(onAxis(2, 0, 1), onAxis(2, 0, -1), "left", `s${i}`));
    const fit = fitProfile(answers, { priorSd: 100, biasPriorSd: 100 });
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(1);
  });

  it("reports non-convergence when the iteration cap is hit", () => {
    const answers = Array.from({ length: 20 }, (_, i) => answer(onAxis(2, 0, 1), onAxis(2, 1, 1), i % 3 === 0 ? "right" : "left", `c${i}`));
    const fit = fitProfile(answers, { maxIterations: 1 });
    expect(fit.converged).toBe(false);
    expect(fit.iterations).toBe(1);
  });

  it("rejects malformed input", () => {
    expect(() => fitProfile([])).toThrow(RangeError);
    expect(() => fitProfile([answer([1, 0], [0], "left")])).toThrow(/length/);
    expect(() => fitProfile([answer([Number.NaN, 0], [0, 0], "left")])).toThrow(/non-finite/);
    expect(() => fitProfile([], { dimensions: 2, priorSd: 0 })).toThrow(/positive/);
    expect(() => fitProfile([], { dimensions: 2, priorMean: [1] })).toThrow(/priorMean/);
    expect(() => fitProfile([], { dimensions: 2, initial: [0, 0] })).toThrow(/initial/);
  });
});

describe("predictLeft", () => {
  it("is ½ under the prior for a pair with no style difference, and moderated towards ½ by uncertainty", () => {
    const prior = fitProfile([], { dimensions: 2 });
    expect(predictLeft(prior, [1, 0], [1, 0])).toBe(0.5);
    const answers = Array.from({ length: 6 }, (_, i) => answer([1, 0], [0, 0], "left", `m${i}`));
    const fit = fitProfile(answers);
    const plugIn = 1 / (1 + Math.exp(-(fit.bias + fit.weights[0]!)));
    const moderated = predictLeft(fit, [1, 0], [0, 0]);
    expect(moderated).toBeGreaterThan(0.5);
    expect(moderated).toBeLessThan(plugIn);
  });
});
