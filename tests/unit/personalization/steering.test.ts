import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { styleSteering, stylizeStrength } from "@/lib/personalization";

const AXES = [{ id: "vivid", gain: 1.5 }, { id: "warm" }, { id: "dark", gain: 0.5 }];

describe("stylizeStrength λ(s)", () => {
  it("is 0 at --s 0, ≈ 0.361 at the standard 100, λ_max at 1000", () => {
    expect(stylizeStrength(0)).toBe(0);
    expect(stylizeStrength(100)).toBeCloseTo(Math.log(3) / Math.log(21), 15);
    expect(stylizeStrength(1000)).toBeCloseTo(1, 15);
    expect(stylizeStrength(1000, 2)).toBeCloseTo(2, 15);
  });

  it("is strictly increasing on [0, 1000] (for steps above rounding)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), (a, b) => {
        fc.pre(b - a > 1e-6);
        expect(stylizeStrength(a)).toBeLessThan(stylizeStrength(b));
      }),
    );
  });

  it("rejects values outside [0, 1000]", () => {
    for (const bad of [-1, 1000.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => stylizeStrength(bad)).toThrow(RangeError);
  });
});

describe("styleSteering", () => {
  it("gives exactly zero steering at --s 0 (positive zeros, even for negative preferences)", () => {
    const steering = styleSteering([2, -3, 0.5], AXES, 0);
    expect(steering.lambda).toBe(0);
    for (const coefficient of steering.coefficients) expect(Object.is(coefficient, 0)).toBe(true);
  });

  it("follows the sign of each weight, scaled by the axis gain, and grows with stylize", () => {
    const weights = [1, -1, 1];
    const standard = styleSteering(weights, AXES, 100).coefficients;
    const maximum = styleSteering(weights, AXES, 1000).coefficients;
    expect(Math.sign(standard[0]!)).toBe(1);
    expect(Math.sign(standard[1]!)).toBe(-1);
    expect(standard[0]! / standard[2]!).toBeCloseTo(3, 12); // gains 1.5 vs 0.5
    for (let k = 0; k < 3; k++) expect(Math.abs(maximum[k]!)).toBeGreaterThan(Math.abs(standard[k]!));
    expect(maximum[0]).toBeCloseTo(1.5 * Math.tanh(1), 12);
  });

  it("is monotone in stylize for every axis", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (weights, a, b) => {
          fc.pre(a <= b);
          const low = styleSteering(weights, AXES, a).coefficients;
          const high = styleSteering(weights, AXES, b).coefficients;
          low.forEach((value, k) => expect(Math.abs(value)).toBeLessThanOrEqual(Math.abs(high[k]!)));
        },
      ),
    );
  });

  it("keeps the preference bounded and shrinks uncertain axes", () => {
    const { preference } = styleSteering([100, 1, 1], AXES, 100, { weightSd: [0, 0, 3] });
    expect(preference[0]).toBeLessThanOrEqual(1);
    expect(preference[0]).toBeGreaterThan(0.99);
    expect(preference[2]).toBeLessThan(preference[1]!);
    expect(preference[2]).toBeGreaterThan(0);
  });

  it("rejects mismatched lengths", () => {
    expect(() => styleSteering([1, 2], AXES, 100)).toThrow(RangeError);
    expect(() => styleSteering([1, 2, 3], AXES, 100, { weightSd: [1] })).toThrow(RangeError);
    expect(() => styleSteering([1, 2, 3], AXES, 100, { temperature: 0 })).toThrow(RangeError);
  });
});
