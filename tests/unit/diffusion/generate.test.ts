/** The job-level API on the tiny fixtures: presets from the manifest, seeds, vary, upscale, progress, cancellation. */
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { disposeModels, loadModel } from "@/lib/diffusion/model-cache";
import { generate, seedRange, type LoadedModel } from "@/lib/diffusion/pipelines/generate";
import { SuperResolutionModel, featherRamp, tileStarts } from "@/lib/diffusion/pipelines/super-resolution";
import type { GenerationProgress, RgbImage } from "@/lib/diffusion/pipelines/types";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([(x * 255) / width, (y * 255) / height, ((x + y) * 7) % 256], (y * width + x) * 3);
  return { width, height, data };
}

describe("generate", () => {
  let model: LoadedModel;
  beforeAll(async () => {
    model = await loadModel(`${FIXTURES}tiny-sd-optimum`, { intraOpNumThreads: 1 });
  });
  afterAll(async () => disposeModels());

  it("caches one loaded model per folder", async () => {
    expect(await loadModel(`${FIXTURES}tiny-sd-optimum/`, { intraOpNumThreads: 1 })).toBe(model);
  });

  it("imagine: four images with seeds seed..seed+3, the manifest's full preset and progress per step", async () => {
    const progress: GenerationProgress[] = [];
    const result = await generate(
      model,
      { kind: "imagine", prompt: "a red circle", width: 64, height: 64, seed: 100 },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result.images.map((i) => i.recipe.seed)).toEqual([100, 101, 102, 103]);
    expect(result.images[0]!.recipe).toMatchObject({
      model: "tiny-sd",
      mode: "txt2img",
      scheduler: "DDIMScheduler",
      timestepSpacing: "leading",
      steps: 6,
      guidance: 5,
      width: 64,
      height: 64,
      negativePrompt: "",
    });
    const steps = progress.filter((p) => p.stage === "denoise" && p.completed > 0);
    expect(steps.at(-1)).toEqual({ stage: "denoise", completed: 6, total: 6 });
    expect(result.timings.unetCalls).toBe(6);
    expect(result.timings.inferenceMs).toBeGreaterThan(0);
    expect(result.timings.wallMs).toBeGreaterThanOrEqual(result.timings.inferenceMs);
  });

  it("draft uses the manifest's draft preset and sampler overrides win", async () => {
    const draft = await generate(model, { kind: "imagine", prompt: "a cat", width: 80, height: 48, seed: 1, quality: "draft", count: 1 });
    expect(draft.images[0]!.recipe).toMatchObject({ steps: 2, timestepSpacing: "trailing", width: 80, height: 48 });
    const custom = await generate(model, {
      kind: "imagine",
      prompt: "a cat",
      width: 64,
      height: 64,
      seed: 1,
      count: 1,
      sampler: { scheduler: "DPMSolverMultistepScheduler", karras: true, steps: 3 },
    });
    expect(custom.images[0]!.recipe).toMatchObject({ scheduler: "DPMSolverMultistepScheduler", karras: true, steps: 3 });
  });

  it("vary subtle and strong run ⌊n·0.5⌋ and ⌊n·0.85⌋ steps from the source image", async () => {
    const image = gradient(64, 64);
    const subtle = await generate(model, { kind: "vary", strength: "subtle", image, prompt: "a dog", seed: 5, count: 2 });
    const strong = await generate(model, { kind: "vary", strength: "strong", image, prompt: "a dog", seed: 5, count: 2 });
    expect(subtle.images[0]!.recipe).toMatchObject({ mode: "img2img", strength: 0.5 });
    expect(subtle.timings.unetCalls).toBe(3);
    expect(strong.images[1]!.recipe).toMatchObject({ strength: 0.85, seed: 6 });
    expect(strong.timings.unetCalls).toBe(5);
  });

  it("upscale subtle doubles the size with the manifest's super-resolution model", async () => {
    const result = await generate(model, { kind: "upscale", mode: "subtle", image: gradient(40, 24), prompt: "a dog", seed: 1 });
    expect(result.images).toHaveLength(1);
    expect(result.images[0]!.image).toMatchObject({ width: 80, height: 48 });
    expect(result.images[0]!.recipe).toMatchObject({ mode: "upscale-subtle", upscaleFactor: 2 });
    expect(result.timings.upscalerMs).toBeGreaterThan(0);
  });

  it("upscale creative runs img2img at 0.35 on the upscaled image", async () => {
    const result = await generate(model, { kind: "upscale", mode: "creative", image: gradient(32, 32), prompt: "a dog", seed: 1 });
    expect(result.images[0]!.recipe).toMatchObject({ mode: "upscale-creative", strength: 0.35, width: 64, height: 64, upscaleFactor: 2 });
    expect(result.timings.unetCalls).toBe(2); // ⌊6 · 0.35⌋
  });

  it("rejects invalid requests before running anything", async () => {
    await expect(generate(model, { kind: "imagine", prompt: "x", width: 63, height: 64, seed: 1 })).rejects.toThrow();
    await expect(generate(model, { kind: "imagine", prompt: "x", width: 64, height: 64, seed: -1 })).rejects.toThrow();
  });

  it("stops between steps when the signal aborts", async () => {
    const controller = new AbortController();
    const run = generate(
      model,
      { kind: "imagine", prompt: "a cat", width: 64, height: 64, seed: 1, count: 1 },
      { signal: controller.signal, onProgress: (p) => p.completed === 2 && controller.abort(new Error("canceled by user")) },
    );
    await expect(run).rejects.toThrow("canceled by user");
  });

  it("seeds wrap at 2³² like torch's 32-bit seed", () => {
    expect(seedRange(2 ** 32 - 2, 4)).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 0, 1]);
  });
});

describe("super-resolution tiling", () => {
  it("tile origins cover the axis with the last tile flush with the edge", () => {
    expect(tileStarts(20, 32, 8)).toEqual([0]);
    expect(tileStarts(100, 32, 8)).toEqual([0, 24, 48, 68]);
  });

  it("feather ramps only on sides with a neighbour", () => {
    const ramp = featherRamp(8, 4, true, false);
    expect(ramp[0]).toBeCloseTo(0.125);
    expect(ramp[3]).toBeCloseTo(0.875);
    expect(ramp[7]).toBe(1);
  });

  it("tiled output matches a whole-image pass away from seams, and closely at them", async () => {
    const sr = await SuperResolutionModel.load(`${FIXTURES}tiny-upscaler-x2-dynamic/model.onnx`, { intraOpNumThreads: 1 });
    const image = gradient(72, 40);
    const whole = await sr.upscale(image, { tile: 128 });
    const tiled = await sr.upscale(image, { tile: 32, overlap: 8 });
    expect(sr.tileCount(72, 40, { tile: 32, overlap: 8 })).toBe(6);
    let worst = 0;
    let total = 0;
    for (let i = 0; i < whole.data.length; i++) {
      const d = Math.abs(whole.data[i]! - tiled.data[i]!);
      worst = Math.max(worst, d);
      total += d;
    }
    expect(worst).toBeLessThanOrEqual(8);
    expect(total / whole.data.length).toBeLessThan(0.5);
    await sr.dispose();
  });

  it("static-shape graphs pad small images and tile large ones", async () => {
    const sr = await SuperResolutionModel.load(`${FIXTURES}tiny-upscaler-x2/model.onnx`, { intraOpNumThreads: 1 });
    expect((await sr.upscale(gradient(20, 12))).width).toBe(40);
    expect((await sr.upscale(gradient(70, 33))).height).toBe(66);
    await sr.dispose();
  });
});

describe("LCM-distilled models", () => {
  it("use the LCM preset, feed timestep_cond and skip classifier-free guidance", async () => {
    const model = await loadModel(`${FIXTURES}tiny-lcm`, { intraOpNumThreads: 1 });
    expect(model.diffusion.takesGuidanceEmbedding).toBe(true);
    const result = await generate(model, { kind: "imagine", prompt: "a red cat", width: 32, height: 32, seed: 3, quality: "draft", count: 2 });
    expect(result.images[0]!.recipe).toMatchObject({ scheduler: "LCMScheduler", steps: 4, guidance: 1.5 });
    expect(result.timings.unetCalls).toBe(4);
    const vary = await generate(model, { kind: "vary", strength: "subtle", image: result.images[0]!.image, prompt: "a red cat", seed: 3, count: 1 });
    expect(vary.images[0]!.recipe).toMatchObject({ mode: "img2img", strength: 0.5 });
  });
});

describe("loadModel with a manifest naming a missing upscaler", () => {
  it("loads the model without an upscaler and says so", async () => {
    const { cpSync, mkdtempSync, readFileSync: read, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = `${mkdtempSync(`${tmpdir()}/mirage-model-`)}/model`;
    cpSync(`${FIXTURES}tiny-sd-optimum`, dir, { recursive: true });
    const manifest = JSON.parse(read(`${dir}/mirage.json`, "utf8")) as Record<string, unknown>;
    writeFileSync(`${dir}/mirage.json`, JSON.stringify({ ...manifest, upscaler: "../absent/model.onnx" }));
    const warnings: string[] = [];
    const model = await loadModel(dir, { intraOpNumThreads: 1, onWarning: (w) => warnings.push(w) });
    expect(model.upscaler).toBeUndefined();
    expect(warnings.join()).toMatch(/upscaler .* is missing/);
    await expect(generate(model, { kind: "upscale", mode: "subtle", image: gradient(16, 16), prompt: "", seed: 1 })).rejects.toThrow(/no super-resolution model/);
  });
});
