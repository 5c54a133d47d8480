import { describe, expect, it } from "vitest";
import { simulateDay, type SimulationOptions } from "@/lib/capacity/simulate";

/** bench/capacity's simulator keeps the studio's queue order: Turbo, then Fast, then Relax, with aging. */
const base: SimulationOptions = {
  gpus: 1,
  traffic: { jobsPerDay: 20_000, users: 50, peakToMean: 1, modes: { turbo: 0.1, fast: 0.6, relax: 0.3 }, kinds: { full: 1, draft: 0, vary: 0, upscale: 0 } },
  costMs: { full: 1_000, draft: 100, vary: 800, upscale: 100 },
  sweepMs: 15_000,
  seed: 7,
};

describe("simulateDay", () => {
  it("serves every job with almost no wait when GPUs are plentiful", () => {
    const result = simulateDay({ ...base, gpus: 16 });
    expect(result.waits.turbo.jobs + result.waits.fast.jobs + result.waits.relax.jobs).toBeGreaterThan(19_000);
    expect(result.waits.fast.p95Ms).toBe(0);
    // 20 000 one-second jobs over a day on 16 GPUs.
    expect(result.utilisation).toBeCloseTo(20_000_000 / (16 * 86_400_000), 2);
    expect(result.relaxAged).toBe(0);
  });

  it("orders an overloaded GPU by mode, and ages Relax jobs that waited too long", () => {
    // 200 000 one-second jobs: 2.3 days of work for one GPU.
    const result = simulateDay({ ...base, traffic: { ...base.traffic, jobsPerDay: 200_000 } });
    expect(result.waits.turbo.p95Ms).toBeLessThan(result.waits.fast.p50Ms);
    expect(result.waits.fast.p95Ms).toBeLessThan(result.waits.relax.p50Ms);
    expect(result.relaxAged).toBeGreaterThan(0);
    expect(result.relaxWaitingAtEndOfDay).toBeGreaterThan(0);
  });

  it("gives the same day for the same seed", () => {
    expect(simulateDay(base)).toEqual(simulateDay(base));
  });
});
