/**
 * The live-preview decoder (docs/live-previews.md §2): the least-squares fit
 * recovers a linear map, projection turns latents into one pixel per cell,
 * the schedule picks a few steps per job, and on the bundled model the
 * fitted map reproduces the colours its VAE decoder paints.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";
import { fitLatentPreview, fitLinearPreview, pairCells, projectLatent, type PreviewSample } from "@/lib/diffusion/preview/latent-preview";
import { isPreviewStep } from "@/lib/diffusion/preview/preview-schedule";
import { floatTensor } from "@/lib/diffusion/tensor";
import type { Tensor } from "onnxruntime-node";

const MODEL = fileURLToPath(new URL("../../../models/mirage-tiny", import.meta.url));

describe("fitLinearPreview", () => {
  it("recovers the linear map that produced the samples", () => {
    const weights = [0.5, -0.25, 0.1, 0.3, 0, 0.2, -0.4, 0.05, 0.1, 0.1, 0.1, -0.6];
    const bias = [0.05, -0.1, 0.2];
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const samples: PreviewSample[] = Array.from({ length: 200 }, () => {
      const latent = [random(), random(), random(), random()];
      const rgb = [0, 1, 2].map((k) => bias[k]! + latent.reduce((sum, z, c) => sum + weights[k * 4 + c]! * z, 0)) as [number, number, number];
      return { latent, rgb };
    });
    const fit = fitLinearPreview(samples, 4);
    Array.from(fit.weights).forEach((w, i) => expect(w).toBeCloseTo(weights[i]!, 2));
    Array.from(fit.bias).forEach((b, i) => expect(b).toBeCloseTo(bias[i]!, 2));
  });

  it("refuses too few samples to determine the map", () => {
    expect(() => fitLinearPreview([{ latent: [1, 2], rgb: [0, 0, 0] }], 2)).toThrow(/more than 2 samples/);
  });
});

describe("projectLatent", () => {
  it("maps each latent cell to one RGB pixel, clamped to bytes", () => {
    // Red follows channel 0, green channel 1, blue is constant; [2, 1, 2] latent (2 channels, 1×2 cells).
    const decoder = { channels: 2, weights: Float32Array.from([1, 0, 0, 1, 0, 0]), bias: Float32Array.from([0, 0, 0.5]) };
    const latent = floatTensor(Float32Array.from([-1, 3, 0, 0.5]), [1, 2, 1, 2]);
    const image = projectLatent(decoder, latent);
    expect(image).toMatchObject({ width: 2, height: 1 });
    // cell 0: r = −1 → 0, g = 0 → 127.5 → 128, b = 0.5 → 191.25; cell 1: r = 3 → clamped 255, g = 0.5 → 191.25.
    expect(Array.from(image.data)).toEqual([0, 128, 191, 255, 191, 191]);
  });

  it("refuses latents with another channel count", () => {
    const decoder = { channels: 4, weights: new Float32Array(12), bias: new Float32Array(3) };
    expect(() => projectLatent(decoder, floatTensor(new Float32Array(3), [1, 3, 1, 1]))).toThrow(/4 channels/);
  });
});

describe("isPreviewStep", () => {
  const steps = (total: number) => Array.from({ length: total + 1 }, (_, i) => i).filter((i) => isPreviewStep(i, total));
  it("picks about five steps per job and never the last", () => {
    expect(steps(25)).toEqual([5, 10, 15, 20]);
    expect(steps(4)).toEqual([1, 2, 3]);
    expect(steps(50)).toEqual([10, 20, 30, 40]);
    expect(steps(1)).toEqual([]);
  });
});

/** PSNR (dB) of a preview against the per-cell mean of the decoded image. */
function psnrAgainstDecode(preview: Uint8Array, latent: Tensor, pixels: Tensor): number {
  const target = pairCells(latent, pixels).flatMap((cell) => cell.rgb.map((v) => (v * 0.5 + 0.5) * 255));
  const mse = target.reduce((sum, v, i) => sum + (preview[i]! - Math.min(255, Math.max(0, v))) ** 2, 0) / target.length;
  return 10 * Math.log10(255 ** 2 / mse);
}

describe.skipIf(!existsSync(`${MODEL}/unet/model.onnx`))("the bundled model's preview decoder", () => {
  afterAll(async () => disposeModels());

  it("paints the colours the VAE decoder paints, within 20 dB, far better than a flat grey guess", async () => {
    const model = await loadModel(MODEL);
    const decoder = await fitLatentPreview(model.diffusion);
    const finals: Tensor[] = [];
    await generate(
      model,
      { kind: "imagine", prompt: "a large yellow star in the centre, night sky", width: 128, height: 128, seed: 11, quality: "draft", count: 1 },
      { onDenoised: (denoised, { completed, total }) => completed === total && finals.push(denoised[0]!) },
    );
    const latent = finals[0]!;
    const [pixels] = await model.diffusion.decodeLatents(latent);
    const preview = projectLatent(decoder, latent);
    expect(preview).toMatchObject({ width: 16, height: 16 });
    const fitted = psnrAgainstDecode(preview.data, latent, pixels!);
    const grey = psnrAgainstDecode(new Uint8Array(preview.data.length).fill(128), latent, pixels!);
    expect(fitted).toBeGreaterThan(20);
    expect(fitted).toBeGreaterThan(grey + 6);
  }, 120_000);
});
