import { describe, expect, it } from "vitest";
import { FAST_P95_TARGET_MS, meetsFastTarget, simulateDay, smallestFleet, type Traffic } from "@/lib/capacity/simulate";
import { capacitySentence } from "@/lib/schemas/capacity";

const traffic: Traffic = {
  jobsPerDay: 60_000,
  users: 200,
  peakToMean: 1.6,
  modes: { turbo: 0.05, fast: 0.7, relax: 0.25 },
  kinds: { full: 0.5, draft: 0.25, vary: 0.15, upscale: 0.1 },
};
// Ten times mirage-tiny's CPU costs: about 2.9 GPUs of offered load on average, so the answer is a few GPUs.
const costMs = { full: 6_500, draft: 1_400, vary: 3_200, upscale: 850 };

describe("the admin capacity estimate", () => {
  it("finds the smallest fleet that keeps Fast p95 under 30 s: the next smaller one does not", () => {
    const sizes = [1, 2, 3, 4, 6, 8];
    const fleet = smallestFleet({ traffic, costMs, sweepMs: 15_000, seed: 1 }, sizes);
    expect(fleet).not.toBeNull();
    expect(fleet!.waits.fast.p95Ms).toBeLessThan(FAST_P95_TARGET_MS);
    expect(fleet!.gpus).toBeGreaterThan(1);
    const smaller = sizes[sizes.indexOf(fleet!.gpus) - 1]!;
    expect(meetsFastTarget(simulateDay({ gpus: smaller, traffic, costMs, sweepMs: 15_000, seed: 1 }))).toBe(false);
  });

  it("says null when even the largest fleet tried is too small", () => {
    expect(smallestFleet({ traffic: { ...traffic, jobsPerDay: 20_000 }, costMs: { full: 65_000, draft: 14_000, vary: 32_000, upscale: 8_500 }, sweepMs: 15_000, seed: 1 }, [1, 2])).toBeNull();
  });

  it("reads as one sentence for each case", () => {
    const base = { windowDays: 7, largestFleet: 64, targetMs: 30_000 };
    expect(capacitySentence({ ...base, jobs: 10, gpus: 1 })).toBe("With this mix, 1 GPU keeps Fast p95 under 30 s.");
    expect(capacitySentence({ ...base, jobs: 10, gpus: 6 })).toBe("With this mix, 6 GPUs keep Fast p95 under 30 s.");
    expect(capacitySentence({ ...base, jobs: 10, gpus: null })).toBe("With this mix, even 64 GPUs do not keep Fast p95 under 30 s.");
    expect(capacitySentence({ ...base, jobs: 0, gpus: null })).toBe("No jobs in the last 7 days yet: nothing to plan from.");
  });
});
