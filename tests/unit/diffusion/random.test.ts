import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { MersenneTwister, TorchGenerator } from "@/lib/diffusion/random";

interface RandnCase {
  seed: number;
  shapes: number[][];
  values: number[][];
}

const FIXTURE = JSON.parse(
  readFileSync(new URL("../../fixtures/diffusion/randn.json", import.meta.url), "utf8"),
) as { cases: RandnCase[] };

describe("MersenneTwister", () => {
  it("matches the reference mt19937 output for seed 5489", () => {
    // First outputs of std::mt19937 default-seeded (5489) and its 10000th value.
    const mt = new MersenneTwister(5489);
    expect(mt.nextUint32()).toBe(3499211612);
    expect(mt.nextUint32()).toBe(581869302);
    for (let i = 2; i < 9999; i++) mt.nextUint32();
    expect(mt.nextUint32()).toBe(4123659995);
  });
});

describe("TorchGenerator.randn", () => {
  it("gives torch's seed-0 values for 16 elements", () => {
    const values = new TorchGenerator(0).randn([16]);
    expect(Array.from(values.slice(0, 4))).toEqual(
      [-1.1258, -1.1524, -0.2506, -0.4339].map((v) => expect.closeTo(v, 4)),
    );
  });

  for (const c of FIXTURE.cases) {
    it(`matches torch for seed ${c.seed}, shapes ${JSON.stringify(c.shapes)}`, () => {
      const generator = new TorchGenerator(c.seed);
      c.shapes.forEach((shape, k) => {
        const got = generator.randn(shape);
        const want = c.values[k]!;
        expect(got.length).toBe(want.length);
        let worst = 0;
        for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        // Torch's AVX2 Box–Muller uses its own log/sin/cos: allow a few float32 ulps.
        expect(worst).toBeLessThan(2e-6);
      });
    });
  }

  it("rejects seeds torch would not accept", () => {
    expect(() => new TorchGenerator(-1)).toThrow(RangeError);
    expect(() => new TorchGenerator(1.5)).toThrow(RangeError);
  });
});
