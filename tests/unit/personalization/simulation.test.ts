// The acceptance checks as a seeded simulation (docs/personalization.md §10): 20
// synthetic users with hidden weights and logistic answer noise answer 200 pairs
// chosen by selectNextPair from a realistic pool (7 axes, 120 subject×seed
// groups, pairs differing in 1–3 axes). Deterministic: fixed seeds throughout.
import { describe, expect, it } from "vitest";
import { isUnlocked } from "@/lib/personalization";
import { createSyntheticPool, median, simulatePopulation } from "../../support/personalization-simulation";

const pool = createSyntheticPool({ axes: 7, seed: 2026 });
const active = simulatePopulation(pool, { users: 20, strategy: "active", seed: 8 });
const random = simulatePopulation(pool, { users: 20, strategy: "random", seed: 8 });

// Whole simulated sessions: seconds of CPU each, more on a shared machine.
describe("synthetic users (acceptance)", { timeout: 60_000 }, () => {
  it("uses a realistic pool: 7 axes, every pair differs in 1–3 axes", () => {
    expect(pool.length).toBeGreaterThan(10_000);
    for (const pair of pool.slice(0, 2000)) {
      const differing = pair.left.filter((value, i) => value !== pair.right[i]).length;
      expect(differing).toBeGreaterThanOrEqual(1);
      expect(differing).toBeLessThanOrEqual(3);
    }
  });

  it("every session ends unlocked after exactly 200 non-skip answers, with some skips along the way", () => {
    for (const outcome of active) {
      expect(isUnlocked(outcome.answers)).toBe(true);
      expect(outcome.shown - outcome.skips).toBe(200);
    }
    expect(median(active.map((outcome) => outcome.skips))).toBeGreaterThan(0);
  });

  it("recovers the hidden weights: median cos(ŵ, w*) ≥ 0.90", () => {
    expect(median(active.map((outcome) => outcome.cosine))).toBeGreaterThanOrEqual(0.9);
    expect(Math.min(...active.map((outcome) => outcome.cosine))).toBeGreaterThan(0.8);
  });

  it("predicts fresh pairs within 0.06 of the Bayes-optimal accuracy for every user", () => {
    for (const outcome of active) expect(outcome.bayesAccuracy - outcome.accuracy).toBeLessThanOrEqual(0.06);
  });

  it("gets the sign right on every axis the user cares about (|w*_k| > 0.3)", () => {
    expect(median(active.map((outcome) => outcome.signAgreement))).toBe(1);
  });

  it("reports a useful in-session held-out accuracy (≈ 20 audit pairs per user)", () => {
    expect(median(active.map((outcome) => outcome.heldOutAccuracy ?? 0))).toBeGreaterThanOrEqual(0.65);
  });

  it("selects actively no worse than at random (same users, median cosine)", () => {
    expect(median(active.map((outcome) => outcome.cosine))).toBeGreaterThanOrEqual(median(random.map((outcome) => outcome.cosine)));
  });

  it("degrades gracefully when 10 % of clicks are random (a mismatch the model does not know)", () => {
    const lapsing = simulatePopulation(pool, { users: 10, strategy: "active", seed: 9, lapseRate: 0.1 });
    expect(median(lapsing.map((outcome) => outcome.cosine))).toBeGreaterThanOrEqual(0.9);
    for (const outcome of lapsing) expect(outcome.bayesAccuracy - outcome.accuracy).toBeLessThanOrEqual(0.06);
  });
});
