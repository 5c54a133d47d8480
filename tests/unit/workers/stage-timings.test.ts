import { describe, expect, it } from "vitest";
import { StageClock } from "@/workers/stage-timings";

/** The worker's per-stage clock behind the "job completed" line that bench/e2e reads. */
describe("StageClock", () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("adds up the wall time of every call per stage, failed calls included", async () => {
    const clock = new StageClock();
    await clock.time("database", () => pause(20));
    await clock.time("database", () => pause(20));
    await expect(clock.time("files", () => pause(15).then(() => Promise.reject(new Error("disk full"))))).rejects.toThrow("disk full");
    const fields = clock.fields();
    expect(fields.databaseMs).toBeGreaterThanOrEqual(39);
    expect(fields.filesMs).toBeGreaterThanOrEqual(14);
    expect(fields.finishMs).toBe(0);
    expect(Object.keys(fields).sort()).toEqual(["databaseMs", "filesMs", "finishMs", "prepareMs", "runnerMs"]);
  });

  it("returns what the timed work returns", async () => {
    expect(await new StageClock().time("prepare", async () => 42)).toBe(42);
  });
});
