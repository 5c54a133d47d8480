import { describe, expect, it } from "vitest";
import {
  createRng,
  dominantAxis,
  fitProfile,
  selectNextPair,
  type TAnswer,
  type TCandidatePair,
} from "@/lib/personalization";
import { createSyntheticPool, createSyntheticUser, runSession } from "../../support/personalization-simulation";
import { onAxis } from "./helpers";

const K = 7;
const pool = createSyntheticPool({ axes: K, groups: 40, seed: 3 });

function session(seed: number, strategy: "active" | "random" = "active"): TAnswer[] {
  const rng = createRng(seed);
  const user = createSyntheticUser(pool, rng, { utilityScale: 2 });
  return runSession(user, pool, rng, { selection: { strategy } }).answers;
}

describe("selectNextPair", () => {
  const answers = session(11);

  it("opens with one single-axis probe per axis", () => {
    const probes = answers.filter((a) => a.kind === "probe");
    expect(probes.length).toBeGreaterThanOrEqual(K);
    const firstK = answers.slice(0, K + 1).filter((a) => a.kind === "probe");
    for (const probe of firstK) {
      const differing = probe.left.filter((value, i) => value !== probe.right[i]).length;
      expect(differing).toBe(1);
    }
    const covered = new Set(probes.filter((a) => a.choice !== "skip").map((a) => dominantAxis(a.left, a.right)));
    expect(covered.size).toBe(K);
    // Probes come first: none after the first active pair.
    const firstActive = answers.findIndex((a) => a.kind === "active");
    expect(answers.slice(firstActive).some((a) => a.kind === "probe")).toBe(false);
  });

  it("makes every 10th shown pair a held-out random pair, and only those", () => {
    answers.forEach((a, t) => expect(a.kind === "heldout").toBe((t + 1) % 10 === 0));
  });

  it("re-shows 8 earlier pairs after answer 100 with the sides swapped, at least 20 pairs later", () => {
    const retests = answers.map((a, t) => ({ a, t })).filter(({ a }) => a.kind === "retest");
    expect(retests).toHaveLength(8);
    for (const { a, t } of retests) {
      expect(t).toBeGreaterThanOrEqual(100);
      const firstIndex = answers.findIndex((b) => b.pairId === a.pairId);
      const first = answers[firstIndex]!;
      expect(t - firstIndex).toBeGreaterThanOrEqual(20);
      expect(first.kind).not.toBe("heldout");
      expect(first.choice).not.toBe("skip");
      expect(a.left).toEqual(first.right);
      expect(a.right).toEqual(first.left);
    }
    expect(new Set(retests.map(({ a }) => a.pairId)).size).toBe(8);
  });

  it("never repeats a pair except as a retest", () => {
    const ids = answers.filter((a) => a.kind !== "retest").map((a) => a.pairId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("randomises sides", () => {
    const swapped = answers.filter((a) => a.kind === "active").map((a) => pool.find((p) => p.pairId === a.pairId)!.left !== a.left);
    const share = swapped.filter(Boolean).length / swapped.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
  });

  it("is deterministic given the seed", () => {
    expect(session(11)).toEqual(answers);
    expect(session(12)).not.toEqual(answers);
  });

  it("with strategy 'random' keeps the audit and retest schedule but picks the rest uniformly", () => {
    const random = session(5, "random");
    expect(random.some((a) => a.kind === "probe" || a.kind === "active")).toBe(false);
    expect(random.filter((a) => a.kind === "retest")).toHaveLength(8);
    random.forEach((a, t) => expect(a.kind === "heldout").toBe((t + 1) % 10 === 0));
  });

  it("actively asks about the axis it is least sure of", () => {
    // Many answers on axes 0 and 1 only: their variance is small, axis 2's is the prior's.
    const k = 3;
    const known: TAnswer[] = Array.from({ length: 40 }, (_, i) => ({
      pairId: `k${i}`,
      left: onAxis(k, i % 2, 1),
      right: onAxis(k, i % 2, -1),
      choice: i % 3 === 0 ? "right" : "left",
      kind: "active",
    }));
    // Mark probes as done so the active branch runs.
    const probes: TAnswer[] = [0, 1, 2].map((axis) => ({ pairId: `probe${axis}`, left: onAxis(k, axis, 0.01), right: onAxis(k, axis, 0), choice: "left", kind: "probe" }));
    const state = { answers: [...probes, ...known] };
    const candidates: TCandidatePair[] = [0, 1, 2].map((axis) => ({ pairId: `c${axis}`, left: onAxis(k, axis, 1), right: onAxis(k, axis, -1) }));
    const picks = Array.from({ length: 20 }, (_, seed) => selectNextPair(state, candidates, createRng(seed), { exploreProbability: 0 }).pairId);
    expect(new Set(picks)).toEqual(new Set(["c2"]));
    // The same with the fit supplied by the caller.
    const fit = fitProfile(state.answers);
    expect(selectNextPair({ ...state, fit }, candidates, createRng(1), { exploreProbability: 0 }).pairId).toBe("c2");
  });

  it("keeps active picks away from the subject groups of the last 5 pairs", () => {
    answers.forEach((a, t) => {
      if (a.kind !== "active") return;
      const recent = answers.slice(Math.max(0, t - 5), t).map((b) => b.groupId);
      expect(recent).not.toContain(a.groupId);
    });
  });

  it("reports `swapped` relative to the pool's orientation, retests included", () => {
    for (const shownSwapped of [false, true]) {
      const history: TAnswer[] = pool.slice(0, 100).map((p) => ({
        pairId: p.pairId,
        left: shownSwapped ? p.right : p.left,
        right: shownSwapped ? p.left : p.right,
        choice: "left",
        kind: "active",
      }));
      const retest = selectNextPair({ answers: history }, pool, createRng(1));
      expect(retest.kind).toBe("retest");
      const candidate = pool.find((p) => p.pairId === retest.pairId)!;
      // The retest flips the earlier presentation, so it is swapped iff the first showing was not.
      expect(retest.swapped).toBe(!shownSwapped);
      expect(retest.left).toEqual(shownSwapped ? candidate.left : candidate.right);
    }
  });

  it("still fits every retest in when audits are more frequent", () => {
    const rng = createRng(4);
    const user = createSyntheticUser(pool, rng);
    const dense = runSession(user, pool, rng, { selection: { heldOutEvery: 5 } }).answers;
    dense.forEach((a, t) => expect(a.kind === "heldout").toBe((t + 1) % 5 === 0));
    expect(dense.filter((a) => a.kind === "retest")).toHaveLength(8);
  });

  it("rejects a fit whose axis count differs from the pool's", () => {
    const probes: TAnswer[] = [0, 1, 2].map((axis) => ({ pairId: `probe${axis}`, left: onAxis(3, axis, 1), right: onAxis(3, axis, 0), choice: "left", kind: "probe" }));
    const candidates: TCandidatePair[] = [{ pairId: "c", left: onAxis(3, 0, 1), right: onAxis(3, 1, 1) }];
    expect(() => selectNextPair({ answers: probes, fit: fitProfile([], { dimensions: 2 }) }, candidates, createRng(1))).toThrow(/axes/);
  });

  it("never offers a pending pair again, and pending offers do not move the audit or retest schedule", () => {
    // 9 answers + pending prefetches: the 10th answered position is still the audit.
    const nine = answers.slice(0, 9);
    const pending: TAnswer[] = answers.slice(20, 26).map((answer) => ({ ...answer, choice: "skip" }));
    for (let seed = 1; seed <= 20; seed++) {
      const pick = selectNextPair({ answers: nine, pending }, pool, createRng(seed));
      expect(pick.kind).toBe("heldout");
      expect(pending.map((answer) => answer.pairId)).not.toContain(pick.pairId);
      const after = selectNextPair({ answers: answers.slice(0, 14), pending }, pool, createRng(seed));
      expect(after.kind).not.toBe("heldout");
      expect(pending.map((answer) => answer.pairId)).not.toContain(after.pairId);
    }
    // A retest is never one of the pairs already on their way to the user.
    const late = answers.slice(0, 120);
    const retestable = late.filter((answer, index) => index <= late.length - 20 && answer.choice !== "skip" && answer.kind !== "heldout" && answer.kind !== "retest");
    const retest = selectNextPair({ answers: late, pending: retestable.slice(1).map((answer) => ({ ...answer, choice: "skip" })) }, pool, createRng(5), { retestAfter: 0, heldOutEvery: 1000 });
    expect(retest.kind).toBe("retest");
    expect(retest.pairId).toBe(retestable[0]!.pairId);
  });

  it("rejects an empty pool and still answers when every pair was shown", () => {
    expect(() => selectNextPair({ answers: [] }, [], createRng(1))).toThrow(RangeError);
    const tiny: TCandidatePair[] = [{ pairId: "only", left: [1, 0], right: [0, 0] }];
    const shown: TAnswer[] = [{ pairId: "only", left: [1, 0], right: [0, 0], choice: "left", kind: "probe" }];
    expect(selectNextPair({ answers: shown }, tiny, createRng(1)).pairId).toBe("only");
  });
});
