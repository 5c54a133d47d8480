import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { STATISTICS, toFloatImage } from "@/lib/diffusion/eval/pixel-statistics";

const CASES = JSON.parse(readFileSync(new URL("../../fixtures/diffusion/pixel-statistics.json", import.meta.url), "utf8")) as Array<{
  width: number;
  height: number;
  rgb: number[];
  stats: Record<string, number>;
}>;

describe("mirage-tiny style statistics match models/train/evaluate.py", () => {
  for (const c of CASES) {
    it(`${c.width}×${c.height}`, () => {
      const image = toFloatImage({ width: c.width, height: c.height, data: Uint8Array.from(c.rgb) });
      for (const [name, expected] of Object.entries(c.stats)) {
        expect(STATISTICS[name]!(image), name).toBeCloseTo(expected, 10);
      }
    });
  }
});
