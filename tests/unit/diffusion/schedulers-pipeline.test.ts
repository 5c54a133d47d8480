/**
 * The new schedulers through the real denoising loop on the tiny random-weight
 * export: Heun's two evaluations per step report progress once per step, and
 * every selectable scheduler produces an image (txt2img and img2img).
 */
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DiffusionModel } from "@/lib/diffusion/model/diffusion-model";
import { diffuse, plannedSteps } from "@/lib/diffusion/pipelines/diffuse";
import type { SamplerSettings } from "@/lib/diffusion/pipelines/types";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));

describe("new schedulers in the pipeline (tiny SD export)", () => {
  let model: DiffusionModel;
  beforeAll(async () => {
    model = await DiffusionModel.load(`${FIXTURES}tiny-sd-optimum`);
  });
  afterAll(async () => model.dispose());

  const run = async (sampler: SamplerSettings, strength?: number) => {
    let progress = 0;
    const base = { prompt: "a red circle", negativePrompt: "", sampler, seeds: [7], width: 64, height: 64 };
    const [first] = await diffuse(model, base);
    const params = strength === undefined ? base : { ...base, init: { image: first!.image, strength } };
    const [result] = await diffuse(model, params, { onStep: () => progress++ });
    return { image: result!.image, progress };
  };

  it("Heun runs 2n − 1 evaluations but reports n steps, and differs from Euler", async () => {
    const heun = await run({ scheduler: "HeunDiscreteScheduler", steps: 3, guidance: 5 });
    expect(heun.progress).toBe(3);
    const euler = await run({ scheduler: "EulerDiscreteScheduler", steps: 3, guidance: 5 });
    expect(Buffer.compare(Buffer.from(heun.image.data), Buffer.from(euler.image.data))).not.toBe(0);
  });

  it("Heun img2img starts at begin·order and still reports whole steps", async () => {
    const sampler: SamplerSettings = { scheduler: "HeunDiscreteScheduler", steps: 4, guidance: 5 };
    const result = await run(sampler, 0.5);
    expect(result.progress).toBe(plannedSteps(sampler, 0.5));
  });

  it.each([
    { scheduler: "UniPCMultistepScheduler" as const },
    { scheduler: "DPMSolverMultistepScheduler" as const, schedulerOptions: { algorithm_type: "sde-dpmsolver++" as const, solver_order: 3 } },
  ])("$scheduler $schedulerOptions runs txt2img and img2img", async (choice) => {
    const sampler: SamplerSettings = { ...choice, steps: 4, guidance: 5 };
    const txt = await run(sampler);
    expect(txt.progress).toBe(4);
    expect(txt.image.data.some((v) => v !== txt.image.data[0])).toBe(true);
    const img = await run(sampler, 0.5);
    expect(img.progress).toBe(2);
  });
});
