import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskyInverse, choleskySolve, cosine, logSigmoid, quadraticForm, sigmoid } from "@/lib/personalization/linalg";

// A = MᵀM + I for a fixed M: symmetric positive definite.
const A = [4, 2, 0.5, 2, 5, 1, 0.5, 1, 3];

describe("Cholesky helpers", () => {
  it("solves A·x = b", () => {
    const l = Float64Array.from(A);
    expect(choleskyInPlace(l, 3)).toBe(true);
    const x = choleskySolve(l, 3, [1, 2, 3], new Float64Array(3));
    for (let i = 0; i < 3; i++) {
      const row = A[i * 3]! * x[0]! + A[i * 3 + 1]! * x[1]! + A[i * 3 + 2]! * x[2]!;
      expect(row).toBeCloseTo(i + 1, 12);
    }
  });

  it("inverts: A·A⁻¹ = I, and A⁻¹ is symmetric", () => {
    const l = Float64Array.from(A);
    choleskyInPlace(l, 3);
    const inverse = choleskyInverse(l, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += A[i * 3 + k]! * inverse[k * 3 + j]!;
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 12);
        expect(inverse[i * 3 + j]).toBe(inverse[j * 3 + i]);
      }
    }
  });

  it("rejects a matrix that is not positive definite", () => {
    expect(choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
    expect(choleskyInPlace(Float64Array.from([Number.NaN, 0, 0, 1]), 2)).toBe(false);
  });

  it("computes quadratic forms, with an offset into a larger array", () => {
    expect(quadraticForm(A, 3, [1, 0, 0])).toBe(4);
    expect(quadraticForm(A, 3, [9, 1, 1, 0], 1)).toBe(13); // x = [1, 1, 0]: 4 + 2·2 + 5
  });
});

describe("scalar helpers", () => {
  it("sigmoid and log-sigmoid stay finite and accurate at the extremes", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(logSigmoid(-800)).toBe(-800);
    expect(logSigmoid(800)).toBe(-0);
    expect(logSigmoid(2)).toBeCloseTo(Math.log(sigmoid(2)), 14);
  });

  it("cosine is 0 for a zero vector and ±1 for (anti)parallel ones", () => {
    expect(cosine([0, 0], [1, 2])).toBe(0);
    expect(cosine([1, 2], [2, 4])).toBeCloseTo(1, 14);
    expect(cosine([1, 2], [-1, -2])).toBeCloseTo(-1, 14);
  });
});
