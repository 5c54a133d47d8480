import { describe, expect, it } from "vitest";
import { tickStep } from "@/components/admin/usage-bars";
import { chartUnit } from "@/components/admin/usage-chart";

/** The admin usage chart's axis: one unit for the whole chart, round steps. */
describe("usage chart axis", () => {
  it("picks the unit from the tallest day", () => {
    expect(chartUnit(2 * 3_600_000).short).toBe("h");
    expect(chartUnit(5 * 60_000).short).toBe("min");
    expect(chartUnit(900).short).toBe("s");
  });

  it("splits the axis into about four round steps", () => {
    expect(tickStep(4)).toBe(1);
    expect(tickStep(7.3)).toBe(2);
    expect(tickStep(10)).toBe(2.5);
    expect(tickStep(0.37)).toBe(0.1);
    expect(tickStep(180)).toBe(50);
    expect(tickStep(0)).toBe(1);
  });
});
