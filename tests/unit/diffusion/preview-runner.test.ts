/** Live previews across the runner's process boundary, and the per-worker switch that turns them off (docs/live-previews.md §3, §7). */
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import type { LatentPreview } from "@/lib/diffusion";
import { createDiffusionRunner } from "@/lib/diffusion/runner/diffusion-runner";

const MODEL = fileURLToPath(new URL("../../fixtures/diffusion/tiny-sd-optimum", import.meta.url));
const REQUEST = { kind: "imagine", prompt: "a red circle", width: 64, height: 64, seed: 42, count: 2 } as const;

describe("runner previews", () => {
  const on = createDiffusionRunner({ intraOpNumThreads: 1, previews: true });
  const off = createDiffusionRunner({ intraOpNumThreads: 1, previews: false });
  afterAll(async () => Promise.all([on.close(), off.close()]));

  it("sends one preview per image at the scheduled steps, at one pixel per latent cell", async () => {
    const previews: LatentPreview[] = [];
    const result = await on.generate(MODEL, REQUEST, { onPreview: (preview) => previews.push(preview) });
    // The fixture's preset runs 6 steps: previews after steps 2 and 4 (every ⌈6/5⌉ = 2, never the last).
    expect(previews.map(({ completed, total }) => [completed, total])).toEqual([[2, 6], [4, 6]]);
    for (const preview of previews) {
      expect(preview.images).toHaveLength(2);
      expect(preview.images[0]).toMatchObject({ width: 8, height: 8 });
      expect(preview.images[0]!.data.length).toBe(8 * 8 * 3);
    }
    expect(result.images).toHaveLength(2);
  }, 60_000);

  it("sends none from a runner with previews off, even when the caller asks", async () => {
    const previews: LatentPreview[] = [];
    const progress: number[] = [];
    await off.generate(MODEL, REQUEST, { onPreview: (preview) => previews.push(preview), onProgress: (p) => progress.push(p.completed) });
    expect(previews).toEqual([]);
    expect(progress.at(-1)).toBe(6);
  }, 60_000);
});
