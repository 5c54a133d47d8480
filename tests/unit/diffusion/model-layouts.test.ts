/**
 * Both export layouts load and run every sampler: the legacy fixture has int32
 * ids, an int64 [1] timestep, a `latent_sample` VAE encoder and UNet weights in
 * unet/weights.pb; the optimum one int64 ids, a float rank-0 timestep and
 * `latent_parameters`.
 */
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DiffusionModel } from "@/lib/diffusion/model/diffusion-model";
import { readModelLayout } from "@/lib/diffusion/model/layout";
import { diffuse } from "@/lib/diffusion/pipelines/diffuse";
import type { SamplerSettings } from "@/lib/diffusion/pipelines/types";

const FIXTURES = fileURLToPath(new URL("../../fixtures/diffusion/", import.meta.url));

const SAMPLERS: SamplerSettings[] = [
  { scheduler: "DDIMScheduler", steps: 3, guidance: 5 },
  { scheduler: "EulerDiscreteScheduler", steps: 3, guidance: 5 },
  { scheduler: "EulerAncestralDiscreteScheduler", steps: 3, guidance: 5 },
  { scheduler: "DPMSolverMultistepScheduler", steps: 3, guidance: 5, karras: true },
  { scheduler: "LCMScheduler", steps: 2, guidance: 1 },
  { scheduler: "EulerDiscreteScheduler", steps: 1, guidance: 0, timestepSpacing: "trailing" },
];

describe("readModelLayout", () => {
  it("finds components, configs and the scaling factor", async () => {
    const layout = await readModelLayout(`${FIXTURES}tiny-sd-legacy`);
    expect(Object.keys(layout.componentPaths).sort()).toEqual(["text_encoder", "unet", "vae_decoder", "vae_encoder"]);
    expect(layout.pipelineClass).toBe("OnnxStableDiffusionPipeline");
    expect(layout.vaeScalingFactor).toBe(0.18215);
    expect(layout.schedulerConfig["_class_name"]).toBe("PNDMScheduler");
    expect(layout.manifest).toBeUndefined();
  });

  it("rejects a folder that is not an export", async () => {
    await expect(readModelLayout(FIXTURES)).rejects.toThrow(/model_index.json/);
  });
});

for (const layoutName of ["tiny-sd-legacy", "tiny-sd-optimum"]) {
  describe(`${layoutName}`, () => {
    let model: DiffusionModel;
    beforeAll(async () => {
      model = await DiffusionModel.load(`${FIXTURES}${layoutName}`, { intraOpNumThreads: 1 });
    });
    afterAll(async () => model.dispose());

    for (const sampler of SAMPLERS) {
      it(`txt2img with ${sampler.scheduler} ${sampler.steps} steps is deterministic per seed`, async () => {
        const params = { prompt: "a blue square", negativePrompt: "", sampler, width: 16, height: 24 };
        const [a, b] = await diffuse(model, { ...params, seeds: [3, 4] });
        const [again] = await diffuse(model, { ...params, seeds: [3] });
        expect(a!.image).toMatchObject({ width: 16, height: 24 });
        expect(Buffer.compare(a!.image.data, again!.image.data)).toBe(0);
        expect(Buffer.compare(a!.image.data, b!.image.data)).not.toBe(0);
      });
    }

    it("img2img runs on its VAE encoder output", async () => {
      const image = { width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(128) };
      const sampler: SamplerSettings = { scheduler: "EulerDiscreteScheduler", steps: 4, guidance: 3 };
      const [out] = await diffuse(model, {
        prompt: "a cat",
        negativePrompt: "",
        sampler,
        seeds: [1],
        width: 16,
        height: 16,
        init: { image, strength: 0.5 },
      });
      expect(out!.recipe).toMatchObject({ mode: "img2img", strength: 0.5 });
    });
  });
}

describe("execution providers", () => {
  it("falls back from CUDA to CPU with a single clear warning when CUDA cannot load", async () => {
    const warnings: string[] = [];
    const model = await DiffusionModel.load(`${FIXTURES}tiny-sd-optimum`, { provider: "cuda", onWarning: (w) => warnings.push(w) });
    if (model.provider === "cpu") {
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/CUDA execution provider unavailable.*running on CPU/);
    } else {
      expect(warnings).toEqual([]);
    }
    await model.dispose();
  });
});
