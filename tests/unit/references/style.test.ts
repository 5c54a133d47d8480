import { describe, expect, it } from "vitest";
import { blendStyleVectors, measurableAxes, referenceCoefficients, styleCodeVector, styleVectorAsWeights, styleVectorOf, type TMeasurableAxis } from "@/lib/references/style";

const AXES: TMeasurableAxis[] = [
  { id: "saturation", negative: "muted", positive: "vivid", statistic: "mean_saturation", range: [0.2, 0.5, 0.6] },
  { id: "detail", negative: "minimal", positive: "detailed", gain: 6 },
];

describe("style references on axes", () => {
  it("maps a statistic through [at −1, typical, at +1], clamped, and leaves unmeasured axes at 0", () => {
    expect(styleVectorOf([0.5, 123], AXES)).toEqual([0, 0]);
    expect(styleVectorOf([0.35, null], AXES)[0]).toBeCloseTo(-0.5, 12);
    expect(styleVectorOf([0.55, null], AXES)[0]).toBeCloseTo(0.5, 12);
    expect(styleVectorOf([0, null], AXES)[0]).toBe(-1);
    expect(styleVectorOf([0.9, null], AXES)[0]).toBe(1);
  });

  it("needs at least one axis with a statistic and range", () => {
    expect(measurableAxes([{ id: "a", negative: "n", positive: "p", statistic: "warmth" }])).toBeNull();
    expect(measurableAxes([{ id: "a", negative: "n", positive: "p", statistic: "warmth", statistic_range: [-1, 0, 1] }])?.[0]?.range).toEqual([-1, 0, 1]);
  });

  it("a style code is the same vector every time, in [−1, 1], and different codes differ", () => {
    const a = styleCodeVector(1234567, 6);
    expect(styleCodeVector(1234567, 6)).toEqual(a);
    expect(a.every((value) => value >= -1 && value <= 1)).toBe(true);
    expect(styleCodeVector(1234568, 6)).not.toEqual(a);
    expect(() => styleCodeVector(0, 6)).toThrow(RangeError);
  });

  it("blends by weight; --sw 0 gives exact zeros; strength grows with --sw", () => {
    expect(blendStyleVectors([[1, 0], [-1, 1]], [3, 1])).toEqual([0.5, 0.25]);
    const zero = referenceCoefficients([-1, 0.5], AXES, 0);
    expect(zero.every((value) => Object.is(value, 0))).toBe(true);
    const at100 = referenceCoefficients([-1, 0.5], AXES, 100);
    const at400 = referenceCoefficients([-1, 0.5], AXES, 400);
    expect(at400[0]!).toBeLessThan(at100[0]!);
    expect(at100[1]!).toBeCloseTo(6 * 0.5 * (Math.log(3) / Math.log(21)), 12);
  });

  it("a style vector as profile weights gives it back through tanh", () => {
    const weights = styleVectorAsWeights([-0.4, 0, 0.8]);
    expect(weights.map(Math.tanh).map((value) => Number(value.toFixed(12)))).toEqual([-0.4, 0, 0.8]);
  });
});
