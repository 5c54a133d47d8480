import { describe, expect, it } from "vitest";
import { fitProfile, profileMetrics, type TAnswer } from "@/lib/personalization";
import { answer, onAxis } from "./helpers";

const K = 2;

/** A consistent user who likes axis 0 and dislikes axis 1; sides alternate. */
function consistentAnswers(n: number): TAnswer[] {
  return Array.from({ length: n }, (_, i) => {
    const axis = Math.floor(i / 2) % K;
    const plus = onAxis(K, axis, 1);
    const minus = onAxis(K, axis, -1);
    const likesPlus = axis === 0;
    const plusOnLeft = i % 4 < 2;
    const [left, right] = plusOnLeft ? [plus, minus] : [minus, plus];
    const choice = likesPlus === plusOnLeft ? "left" : "right";
    return answer(left, right, choice, `q${i}`, (i + 1) % 10 === 0 ? "heldout" : "active");
  });
}

describe("profileMetrics", () => {
  it("scores a consistent user as accurate, stable and contracted", () => {
    const answers = consistentAnswers(60);
    const fit = fitProfile(answers);
    const metrics = profileMetrics(answers, fit);
    expect(metrics.answerCount).toBe(60);
    expect(metrics.skipCount).toBe(0);
    expect(metrics.heldOut.count).toBe(6);
    expect(metrics.heldOut.accuracy).toBe(1);
    expect(metrics.heldOut.logLoss).toBeLessThan(0.2);
    expect(metrics.splitHalfCosine).toBeGreaterThan(0.99);
    expect(metrics.posteriorContraction).toBeGreaterThan(0.5);
    expect(metrics.isStable).toBe(true);
    expect(metrics.consistency).toEqual({ count: 0, agreement: null, noiseCeiling: null });
  });

  it("never lets a held-out answer see itself (leave-one-pair-out)", () => {
    // The same session with the held-out choice flipped: if the refit never sees that
    // answer, both versions get the same prediction p, so exactly one of them is right
    // and the two log-losses are −log p and −log(1 − p). A leak would make both right.
    const base = consistentAnswers(40).filter((a) => a.kind !== "heldout");
    const audit = answer([1, 0], [-1, 0], "left", "audit", "heldout");
    const flippedAudit = { ...audit, choice: "right" as const };
    const scores = [audit, flippedAudit].map((a) => {
      const list = [...base, a, answer([-1, 0], [1, 0], a.choice, "audit", "retest")];
      return profileMetrics(list, fitProfile(list)).heldOut;
    });
    expect(scores[0]!.accuracy! + scores[1]!.accuracy!).toBe(1);
    expect(Math.exp(-scores[0]!.logLoss!) + Math.exp(-scores[1]!.logLoss!)).toBeCloseTo(1, 9); // refits converge to 1e-8
  });

  it("measures consistency as choosing the same image across a side swap", () => {
    const first = [answer([1, 0], [0, 0], "left", "x"), answer([0, 1], [0, 0], "left", "y"), answer([0, 0], [1, 1], "right", "z")];
    const retests = [
      answer([0, 0], [1, 0], "right", "x", "retest"), // same image: agrees
      answer([0, 0], [0, 1], "left", "y", "retest"), // same side, other image: disagrees
      answer([1, 1], [0, 0], "skip", "z", "retest"), // skipped: not counted
    ];
    const all = [...first, ...retests];
    const metrics = profileMetrics(all, fitProfile(all));
    expect(metrics.consistency.count).toBe(2);
    expect(metrics.consistency.agreement).toBe(0.5);
    expect(metrics.consistency.noiseCeiling).toBe(0.5);
    expect(metrics.skipCount).toBe(1);
    expect(metrics.skipRate).toBeCloseTo(1 / 6, 12);
  });

  it("reports perfect agreement as a noise ceiling of 1", () => {
    const all = [answer([1, 0], [0, 0], "left", "x"), answer([0, 0], [1, 0], "right", "x", "retest")];
    expect(profileMetrics(all, fitProfile(all)).consistency).toEqual({ count: 1, agreement: 1, noiseCeiling: 1 });
  });

  it("leaves split-half and held-out empty when there is too little data", () => {
    const answers = consistentAnswers(8).map((a) => ({ ...a, kind: "active" as const }));
    const metrics = profileMetrics(answers, fitProfile(answers));
    expect(metrics.splitHalfCosine).toBeNull();
    expect(metrics.heldOut).toEqual({ count: 0, accuracy: null, logLoss: null });
    expect(metrics.isStable).toBe(false);
  });

  it("handles an empty session", () => {
    const fit = fitProfile([], { dimensions: 3 });
    const metrics = profileMetrics([], fit);
    expect(metrics.answerCount).toBe(0);
    expect(metrics.skipRate).toBe(0);
    expect(metrics.posteriorContraction).toBe(0);
  });
});
