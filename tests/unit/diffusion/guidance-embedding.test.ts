import { describe, expect, it } from "vitest";

import { guidanceEmbedding } from "@/lib/diffusion/model/guidance-embedding";

describe("LCM guidance embedding (timestep_cond)", () => {
  it("is [sin(1000w·f_k), cos(1000w·f_k)] with f_k = exp(−k·ln 10⁴/(d/2 − 1))", () => {
    const w = 7.5 - 1;
    const e = guidanceEmbedding(w, 256, 2);
    expect(e.dims).toEqual([2, 256]);
    const data = e.data as Float32Array;
    for (const k of [0, 1, 64, 127]) {
      const angle = 1000 * w * Math.exp((-k * Math.log(10000)) / 127);
      expect(data[k]).toBeCloseTo(Math.sin(angle), 5);
      expect(data[128 + k]).toBeCloseTo(Math.cos(angle), 5);
      expect(data[256 + k]).toBe(data[k]);
    }
  });

  it("is (0…, 1…) without guidance", () => {
    const data = guidanceEmbedding(0, 8, 1).data as Float32Array;
    expect(Array.from(data)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });
});
