/**
 * The Editor's engine: masks, outpainting layouts, masked generation with a
 * 4-channel UNet (every scheduler, guidance, steering, LCM) and with a native
 * 9-channel inpainting UNet, on the tiny fixtures; then the pixel properties
 * of the "Done when" on models/mirage-tiny when it is present.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { generate, type LoadedModel, type RgbImage } from "@/lib/diffusion";
import { disposeModels, loadModel } from "@/lib/diffusion/model-cache";
import { featherAlpha, latentMask, resizeMask, type MaskImage } from "@/lib/diffusion/pipelines/mask";
import { maskedStart } from "@/lib/diffusion/pipelines/masked";
import { outpaintLayout, outpaintMask } from "@/lib/editor/outpaint-layout";
import { resizeRgb } from "@/lib/diffusion/pipelines/pixels";
import { createSamplerScheduler } from "@/lib/diffusion/pipelines/sampler";
import { TorchGenerator } from "@/lib/diffusion/random";
import { floatData } from "@/lib/diffusion/tensor";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));
const MIRAGE_TINY = fileURLToPath(new URL("../../../models/mirage-tiny", import.meta.url));

/** A w×h mask with the rectangle [x, x+rw) × [y, y+rh) white. */
function rectMask(width: number, height: number, rect: { x: number; y: number; width: number; height: number }): MaskImage {
  const data = new Uint8Array(width * height);
  for (let y = rect.y; y < rect.y + rect.height; y++) data.fill(255, y * width + rect.x, y * width + rect.x + rect.width);
  return { width, height, data };
}

/** A smooth, colourful test image (no model needed). */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = Math.round((255 * x) / width);
      data[o + 1] = Math.round((255 * y) / height);
      data[o + 2] = (x * 7 + y * 3) % 256;
    }
  }
  return { width, height, data };
}

/** Mean absolute difference (0–255) over the pixels `keep(x, y)` selects. */
function mad(a: RgbImage, b: RgbImage, keep: (x: number, y: number) => boolean, offset = { x: 0, y: 0 }): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      if (!keep(x, y)) continue;
      const ia = ((y + offset.y) * a.width + x + offset.x) * 3;
      const ib = (y * b.width + x) * 3;
      for (let c = 0; c < 3; c++) sum += Math.abs(a.data[ia + c]! - b.data[ib + c]!);
      n += 3;
    }
  }
  if (n === 0) throw new Error("no pixels selected");
  return sum / n;
}

/** Distance (Chebyshev, in pixels) from (x, y) to the rectangle; 0 inside. */
function distanceTo(rect: { x: number; y: number; width: number; height: number }, x: number, y: number): number {
  const dx = Math.max(rect.x - x, 0, x - (rect.x + rect.width - 1));
  const dy = Math.max(rect.y - y, 0, y - (rect.y + rect.height - 1));
  return Math.max(dx, dy);
}

describe("masks", () => {
  it("feathers over the radius on both sides, and exactly 0 / 1 beyond it", () => {
    const rect = { x: 16, y: 16, width: 24, height: 24 };
    const mask = rectMask(64, 64, rect);
    const alpha = featherAlpha(mask, 3);
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        const a = alpha[y * 64 + x]!;
        const inside = distanceTo(rect, x, y) === 0;
        const depth = Math.min(x - rect.x, rect.x + rect.width - 1 - x, y - rect.y, rect.y + rect.height - 1 - y);
        if (!inside && distanceTo(rect, x, y) > 3) expect(a).toBe(0);
        if (inside && depth >= 3) expect(a).toBe(1);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
      }
    }
    expect(alpha[16 * 64 + 28]!).toBeGreaterThan(0);
    expect(alpha[16 * 64 + 28]!).toBeLessThan(1);
  });

  it("keeps every unmasked pixel when asked (outpainting), fading inside the mask", () => {
    const mask = outpaintMask(outpaintLayout({ width: 64, height: 64 }, { kind: "pan", direction: "left" }, 8));
    const alpha = featherAlpha(mask, 4, { keepOriginal: true });
    for (let i = 0; i < alpha.length; i++) if (mask.data[i] === 0) expect(alpha[i]).toBe(0);
    // far from the seam (x < 32 − 8) the new area is fully generated
    expect(alpha[10 * 96 + 5]).toBe(1);
  });

  it("takes a latent cell when any pixel of its block is masked, and resizes without grey levels", () => {
    const mask = rectMask(32, 16, { x: 9, y: 0, width: 1, height: 1 });
    const cells = latentMask(mask, 8);
    expect([cells.width, cells.height]).toEqual([4, 2]);
    expect(Array.from(cells.data)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    const resized = resizeMask(rectMask(10, 10, { x: 0, y: 0, width: 5, height: 10 }), 33, 7);
    expect(new Set(resized.data)).toEqual(new Set([0, 255]));
    expect(resized.data[0]).toBe(255);
    expect(resized.data[32]).toBe(0);
  });
});

describe("outpainting layouts", () => {
  it("zooms out into the centre on the same canvas", () => {
    expect(outpaintLayout({ width: 128, height: 128 }, { kind: "zoom", factor: 2 }, 16)).toEqual({
      canvas: { width: 128, height: 128 },
      place: { x: 32, y: 32, width: 64, height: 64 },
    });
    const custom = outpaintLayout({ width: 144, height: 96 }, { kind: "zoom", factor: 1 }, 16);
    // factor 1 still leaves one 8-pixel cell of new border on each side
    expect(custom.place).toEqual({ x: 8, y: 8, width: 128, height: 80 });
    expect(() => outpaintLayout({ width: 128, height: 128 }, { kind: "zoom", factor: 2.5 }, 16)).toThrow(RangeError);
  });

  it("pans by half the side, snapped to the size multiple, keeping the original in place", () => {
    expect(outpaintLayout({ width: 128, height: 128 }, { kind: "pan", direction: "left" }, 16)).toEqual({
      canvas: { width: 192, height: 128 },
      place: { x: 64, y: 0, width: 128, height: 128 },
    });
    // 144 / 2 = 72 → 80 at a multiple of 16
    expect(outpaintLayout({ width: 144, height: 96 }, { kind: "pan", direction: "right" }, 16).canvas).toEqual({ width: 224, height: 96 });
    expect(outpaintLayout({ width: 144, height: 96 }, { kind: "pan", direction: "up" }, 16).place).toEqual({ x: 0, y: 48, width: 144, height: 96 });
  });

  it("makes the short side square and refuses a square image", () => {
    expect(outpaintLayout({ width: 144, height: 96 }, { kind: "square" }, 16)).toEqual({
      canvas: { width: 144, height: 144 },
      place: { x: 0, y: 24, width: 144, height: 96 },
    });
    expect(() => outpaintLayout({ width: 128, height: 128 }, { kind: "square" }, 16)).toThrow(/already square/);
  });
});

describe("masked generation on the tiny fixtures", () => {
  let sd: LoadedModel;
  let inpaintModel: LoadedModel;
  let lcm: LoadedModel;
  const image = gradient(64, 64);
  const rect = { x: 16, y: 24, width: 24, height: 16 };
  const mask = rectMask(64, 64, rect);

  beforeAll(async () => {
    sd = await loadModel(`${FIXTURES}tiny-sd-optimum`, { intraOpNumThreads: 1 });
    inpaintModel = await loadModel(`${FIXTURES}tiny-sd-inpaint`, { intraOpNumThreads: 1 });
    lcm = await loadModel(`${FIXTURES}tiny-lcm`, { intraOpNumThreads: 1 });
  });
  afterAll(async () => disposeModels());

  const schedulers = ["DDIMScheduler", "EulerDiscreteScheduler", "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler"] as const;
  it.each(schedulers)("keeps what lies outside the mask and repaints inside with %s, guidance and steering", async (scheduler) => {
    const result = await generate(sd, {
      kind: "inpaint",
      prompt: "a blue circle",
      negativePrompt: "red",
      seed: 11,
      image,
      mask,
      count: 2,
      featherRadius: 2,
      sampler: { scheduler, steps: 4, guidance: 5 },
      steering: [{ negative: "red", positive: "blue", coefficient: 0.5 }],
    });
    expect(result.images).toHaveLength(2);
    for (const { image: out, recipe } of result.images) {
      expect(recipe).toMatchObject({ mode: "inpaint", scheduler, width: 64, height: 64 });
      expect(mad(image, out, (x, y) => distanceTo(rect, x, y) > 2)).toBeLessThanOrEqual(1);
      expect(mad(image, out, (x, y) => distanceTo(rect, x, y) === 0)).toBeGreaterThan(5);
    }
  }, 60_000);

  it("works with LCM's guidance embedding and with drafts", async () => {
    const draft = await generate(lcm, { kind: "inpaint", prompt: "a cat", seed: 3, image, mask, count: 1, quality: "draft" });
    expect(mad(image, draft.images[0]!.image, (x, y) => distanceTo(rect, x, y) > 2)).toBeLessThanOrEqual(1);
  }, 30_000);

  it("blends the original's latents back outside the mask at every step, ending on the clean latents", async () => {
    const sampler = { scheduler: "EulerDiscreteScheduler" as const, steps: 3, guidance: 1 };
    const scheds = [createSamplerScheduler(sd.diffusion.layout.schedulerConfig, sampler)];
    const start = await maskedStart(sd.diffusion, scheds, [new TorchGenerator(5)], sampler, { image, mask, featherRadius: 2 });
    expect(start.constrain).toBeDefined();
    expect(start.extraChannels).toBeUndefined();
    const [clean] = await sd.diffusion.encodePixels((await import("@/lib/diffusion/pipelines/pixels")).rgbToVaePixels(image), [new TorchGenerator(5)]);
    const garbage = start.latents[0]!;
    const last = floatData(start.constrain!(0, start.timesteps.length - 1, garbage));
    const cells = latentMask(mask, 8);
    const plane = cells.data.length;
    for (let i = 0; i < last.length; i++) {
      if (cells.data[i % plane] === 0) expect(last[i]).toBeCloseTo(floatData(clean!)[i]!, 5);
      else expect(last[i]).toBe(floatData(garbage)[i]);
    }
  });

  it("drives a 9-channel inpainting UNet with the mask and the masked image's latents", async () => {
    expect(sd.diffusion.isInpaintingUnet).toBe(false);
    expect(inpaintModel.diffusion.isInpaintingUnet).toBe(true);
    expect(inpaintModel.diffusion.unetInputChannels).toBe(9);
    expect(inpaintModel.diffusion.latentChannels).toBe(4);
    const sampler = { scheduler: "DDIMScheduler" as const, steps: 2, guidance: 5 };
    const scheds = [createSamplerScheduler(inpaintModel.diffusion.layout.schedulerConfig, sampler)];
    const start = await maskedStart(inpaintModel.diffusion, scheds, [new TorchGenerator(5)], sampler, { image, mask, featherRadius: 2 });
    expect(start.constrain).toBeUndefined();
    expect(start.extraChannels![0]!.dims).toEqual([1, 5, 8, 8]);
    // channel 0 of the extras is the latent mask
    expect(Array.from(floatData(start.extraChannels![0]!).subarray(0, 64))).toEqual(Array.from(latentMask(mask, 8).data));

    const result = await generate(inpaintModel, { kind: "inpaint", prompt: "a red cat", seed: 4, image, mask, count: 2, sampler: { steps: 3, guidance: 5 } });
    for (const { image: out } of result.images) {
      expect(mad(image, out, (x, y) => distanceTo(rect, x, y) > 3)).toBeLessThanOrEqual(1);
      expect(mad(image, out, (x, y) => distanceTo(rect, x, y) === 0)).toBeGreaterThan(5);
    }
    // A different mask changes the UNet's input, hence what is painted inside the common area.
    const wider = await generate(inpaintModel, { kind: "inpaint", prompt: "a red cat", seed: 4, image, mask: rectMask(64, 64, { x: 0, y: 0, width: 64, height: 48 }), count: 1, featherRadius: 0, sampler: { steps: 3, guidance: 5 } });
    expect(mad(result.images[0]!.image, wider.images[0]!.image, (x, y) => distanceTo(rect, x, y) === 0 && x > 24 && x < 32)).toBeGreaterThan(0);
  }, 60_000);

  it("outpaints: pans with the original in place and snaps to the model's size multiple", async () => {
    const small = gradient(48, 40);
    const result = await generate(sd, { kind: "outpaint", prompt: "a dog", seed: 2, image: small, move: { kind: "pan", direction: "down" }, count: 1, sampler: { steps: 3 } });
    const out = result.images[0]!.image;
    // 40 / 2 = 20 → 24 at the fixture's multiple of 8
    expect([out.width, out.height]).toEqual([48, 64]);
    expect(result.images[0]!.recipe).toMatchObject({ mode: "outpaint", width: 48, height: 64 });
    expect(mad(out, small, () => true)).toBe(0);
    const extension = await generate(sd, { kind: "outpaint", prompt: "a dog", seed: 2, image: small, move: { kind: "square" }, count: 1, sampler: { steps: 3 } });
    expect(extension.images[0]!.image).toMatchObject({ width: 48, height: 48 });
  }, 60_000);

  it("refuses an empty mask", async () => {
    await expect(generate(sd, { kind: "inpaint", prompt: "", seed: 1, image, mask: rectMask(64, 64, { x: 0, y: 0, width: 0, height: 0 }) })).rejects.toThrow(/empty/);
  });
});

describe.skipIf(!existsSync(`${MIRAGE_TINY}/unet/model.onnx`))("the Editor on models/mirage-tiny", () => {
  let model: LoadedModel;
  let original: RgbImage;

  beforeAll(async () => {
    model = await loadModel(MIRAGE_TINY);
    const made = await generate(model, { kind: "imagine", prompt: "a large red circle in the centre, over a green meadow", width: 128, height: 128, seed: 21, quality: "draft", count: 1 });
    original = made.images[0]!.image;
  }, 60_000);
  afterAll(async () => disposeModels());

  it("Vary Region: outside the mask (beyond the feather) within 1/255, inside changed", async () => {
    const rect = { x: 72, y: 16, width: 40, height: 40 };
    const result = await generate(model, { kind: "inpaint", prompt: "a blue star", image: original, mask: rectMask(128, 128, rect), seed: 5, quality: "draft", count: 2 });
    const feather = 3; // defaultFeatherRadius(128, 128)
    for (const { image } of result.images) {
      expect(mad(original, image, (x, y) => distanceTo(rect, x, y) > feather)).toBeLessThanOrEqual(1);
      expect(mad(original, image, (x, y) => distanceTo(rect, x, y) === 0)).toBeGreaterThan(8);
    }
  }, 60_000);

  it("Zoom Out 2×: the original, downscaled, in the centre within 4/255", async () => {
    const result = await generate(model, { kind: "outpaint", prompt: "a large red circle", image: original, move: { kind: "zoom", factor: 2 }, seed: 6, quality: "draft", count: 1 });
    const out = result.images[0]!.image;
    expect([out.width, out.height]).toEqual([128, 128]);
    const shrunk = await resizeRgb(original, 64, 64);
    expect(mad(out, shrunk, () => true, { x: 32, y: 32 })).toBeLessThanOrEqual(4);
    // the surround is generated, not the edge extension alone
    expect(mad(out, original, (x, y) => x < 16 || y < 16)).toBeGreaterThan(0);
  }, 60_000);

  it("Pan: the original pixels stay in place within 1/255", async () => {
    const result = await generate(model, { kind: "outpaint", prompt: "a large red circle", image: original, move: { kind: "pan", direction: "left" }, seed: 7, quality: "draft", count: 1 });
    const out = result.images[0]!.image;
    expect([out.width, out.height]).toEqual([192, 128]);
    expect(mad(out, original, () => true, { x: 64, y: 0 })).toBeLessThanOrEqual(1);
  }, 60_000);
});
