/**
 * End to end on the tiny random-weight exports: the TypeScript pipeline must
 * reproduce the torch reference run by make_tiny_models.py (same tokenizer
 * ids, torch randn noise, DDIM, classifier-free guidance, VAE decode/encode).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DiffusionModel } from "@/lib/diffusion/model/diffusion-model";
import { diffuse } from "@/lib/diffusion/pipelines/diffuse";
import type { RgbImage, SamplerSettings } from "@/lib/diffusion/pipelines/types";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));
const REFERENCE = JSON.parse(readFileSync(`${FIXTURES}tiny-sd-reference.json`, "utf8")) as {
  prompt: string;
  negativePrompt: string;
  seed: number;
  guidance: number;
  steps: number;
  width: number;
  height: number;
  timesteps: number[];
  txt2imgRgb: string;
  img2img: { strength: number; rgb: string };
};

const SAMPLER: SamplerSettings = { scheduler: "DDIMScheduler", steps: REFERENCE.steps, guidance: REFERENCE.guidance };

function maxByteDifference(actual: Uint8Array, expected: Uint8Array): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  return worst;
}

describe("tiny SD export (optimum layout) against the torch reference", () => {
  let model: DiffusionModel;
  beforeAll(async () => {
    model = await DiffusionModel.load(`${FIXTURES}tiny-sd-optimum`);
  });
  afterAll(async () => model.dispose());

  it("txt2img with CFG and a negative prompt matches torch", async () => {
    const [result] = await diffuse(model, {
      prompt: REFERENCE.prompt,
      negativePrompt: REFERENCE.negativePrompt,
      sampler: SAMPLER,
      seeds: [REFERENCE.seed],
      width: REFERENCE.width,
      height: REFERENCE.height,
    });
    const expected = Buffer.from(REFERENCE.txt2imgRgb, "base64");
    expect(maxByteDifference(result!.image.data, expected)).toBeLessThanOrEqual(1);
    expect(result!.recipe).toMatchObject({ mode: "txt2img", seed: REFERENCE.seed, steps: 4, scheduler: "DDIMScheduler" });
  });

  it("img2img at strength 0.5 matches torch (VAE sampling, then noise, from one generator)", async () => {
    const init: RgbImage = { width: REFERENCE.width, height: REFERENCE.height, data: Buffer.from(REFERENCE.txt2imgRgb, "base64") };
    const [result] = await diffuse(model, {
      prompt: REFERENCE.prompt,
      negativePrompt: REFERENCE.negativePrompt,
      sampler: SAMPLER,
      seeds: [REFERENCE.seed],
      width: REFERENCE.width,
      height: REFERENCE.height,
      init: { image: init, strength: REFERENCE.img2img.strength },
    });
    expect(maxByteDifference(result!.image.data, Buffer.from(REFERENCE.img2img.rgb, "base64"))).toBeLessThanOrEqual(1);
    expect(result!.recipe.strength).toBe(0.5);
  });

  it("image k of a batch equals a single run with seed + k", async () => {
    const params = { prompt: "a cat", negativePrompt: "", sampler: SAMPLER, width: 32, height: 48 };
    const batch = await diffuse(model, { ...params, seeds: [7, 8, 9, 10] });
    const single = await diffuse(model, { ...params, seeds: [9] });
    expect(batch).toHaveLength(4);
    expect(maxByteDifference(batch[2]!.image.data, single[0]!.image.data)).toBeLessThanOrEqual(1);
    expect(batch.map((b) => b.recipe.seed)).toEqual([7, 8, 9, 10]);
  });
});

describe("tiny SDXL export against the torch reference", () => {
  const reference = JSON.parse(readFileSync(`${FIXTURES}tiny-sdxl-reference.json`, "utf8")) as {
    prompt: string;
    seed: number;
    guidance: number;
    steps: number;
    width: number;
    height: number;
    rgb: string;
  };

  it("conditions on both encoders' penultimate states, text_embeds and time_ids, zeroing the empty negative", async () => {
    const model = await DiffusionModel.load(`${FIXTURES}tiny-sdxl`);
    expect(model.isSdxl).toBe(true);
    expect(model.layout.vaeScalingFactor).toBe(0.13025);
    const [result] = await diffuse(model, {
      prompt: reference.prompt,
      negativePrompt: "",
      sampler: { scheduler: "DDIMScheduler", steps: reference.steps, guidance: reference.guidance },
      seeds: [reference.seed],
      width: reference.width,
      height: reference.height,
    });
    expect(maxByteDifference(result!.image.data, Buffer.from(reference.rgb, "base64"))).toBeLessThanOrEqual(1);
    await model.dispose();
  });
});

describe("float16 interfaces (--dtype fp16 exports)", () => {
  it("feeds float16 sample, rank-0 timestep and hidden states, and reads float16 outputs", async () => {
    const model = await DiffusionModel.load(`${FIXTURES}tiny-sd-fp16`);
    const [result] = await diffuse(model, {
      prompt: REFERENCE.prompt,
      negativePrompt: REFERENCE.negativePrompt,
      sampler: SAMPLER,
      seeds: [REFERENCE.seed],
      width: REFERENCE.width,
      height: REFERENCE.height,
    });
    // Same weights as the float32 reference; only the half-precision edges differ.
    const expected = Buffer.from(REFERENCE.txt2imgRgb, "base64");
    let total = 0;
    for (let i = 0; i < expected.length; i++) total += Math.abs(result!.image.data[i]! - expected[i]!);
    expect(total / expected.length).toBeLessThan(1);
    await model.dispose();
  });
});
