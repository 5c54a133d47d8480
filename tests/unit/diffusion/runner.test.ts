/** The child-process runner: results, per-step progress and cancellation cross the process boundary. */
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { createDiffusionRunner } from "@/lib/diffusion/runner/diffusion-runner";
import type { GenerationProgress } from "@/lib/diffusion/pipelines/types";

const MODEL = fileURLToPath(new URL("../../fixtures/diffusion/tiny-sd-optimum", import.meta.url));

describe("createDiffusionRunner", () => {
  const runner = createDiffusionRunner({ intraOpNumThreads: 1 });
  afterAll(async () => runner.close());

  it("preloads a model in the worker", async () => {
    expect(await runner.preload(MODEL)).toEqual({ name: "tiny-sd", provider: "cpu", hasUpscaler: true });
  }, 30_000);

  it("generates off the caller's thread with progress per step", async () => {
    const progress: GenerationProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const result = await runner.generate(
      MODEL,
      { kind: "imagine", prompt: "a red circle", width: 64, height: 64, seed: 42, count: 2 },
      { onProgress: (p) => progress.push(p) },
    );
    clearInterval(timer);
    expect(result.images).toHaveLength(2);
    expect(result.images[1]!.image.data).toBeInstanceOf(Uint8Array);
    expect(result.images[1]!.image.data.length).toBe(64 * 64 * 3);
    expect(result.images[1]!.recipe.seed).toBe(43);
    expect(progress.filter((p) => p.stage === "denoise").at(-1)).toMatchObject({ completed: 6, total: 6 });
    expect(ticks).toBeGreaterThan(0);
  }, 30_000);

  it("cancels a running job through its AbortSignal", async () => {
    const controller = new AbortController();
    const job = runner.generate(
      MODEL,
      { kind: "imagine", prompt: "a cat", width: 64, height: 64, seed: 1, count: 1, sampler: { steps: 200 } },
      { signal: controller.signal, onProgress: (p) => p.completed === 3 && controller.abort(new Error("user canceled")) },
    );
    await expect(job).rejects.toThrow("user canceled");
    // The worker is still usable afterwards.
    const next = await runner.generate(MODEL, { kind: "imagine", prompt: "a cat", width: 16, height: 16, seed: 1, count: 1 });
    expect(next.images).toHaveLength(1);
  }, 30_000);

  it("reports errors from the worker", async () => {
    await expect(runner.preload("/nonexistent/model")).rejects.toThrow(/model_index.json/);
  }, 30_000);
});
