/**
 * The bundled model through the engine, when it is present: the manifest's
 * presets and sizes, its latent_sample encoder (deterministic autoencoder)
 * and its super-resolution model all load and run.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { afterAll, describe, expect, it } from "vitest";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";

const MODEL = fileURLToPath(new URL("../../../models/mirage-tiny", import.meta.url));

describe.skipIf(!existsSync(`${MODEL}/unet/model.onnx`))("models/mirage-tiny", () => {
  afterAll(async () => disposeModels());

  it("imagines at a manifest size with the draft preset, then varies and upscales", async () => {
    const model = await loadModel(MODEL);
    const manifest = model.diffusion.layout.manifest!;
    const draft = manifest.presets!["draft"]!;
    const size = manifest.sizes!["16:9"]!;
    const result = await generate(model, { kind: "imagine", prompt: "a large red circle on the left, at sunset", ...size, seed: 1, quality: "draft", count: 1 });
    expect(result.images[0]!.recipe).toMatchObject({ model: "mirage-tiny", steps: draft.steps, scheduler: "DDIMScheduler", ...size });
    const vary = await generate(model, { kind: "vary", strength: "subtle", image: result.images[0]!.image, prompt: "a blue fish", seed: 2, quality: "draft", count: 1 });
    expect(vary.images[0]!.image).toMatchObject(size);
    const upscaled = await generate(model, { kind: "upscale", mode: "subtle", image: result.images[0]!.image, prompt: "", seed: 3 });
    expect(upscaled.images[0]!.image).toMatchObject({ width: size.width * 2, height: size.height * 2 });
  }, 60_000);

  it("drafts skip classifier-free guidance unless the prompt has a negative (--no)", async () => {
    const model = await loadModel(MODEL);
    const draft = model.diffusion.layout.manifest!.presets!["draft"]!;
    const request = { kind: "imagine", prompt: "a small blue star at the top", width: 128, height: 128, seed: 4, quality: "draft", count: 1 } as const;
    const plain = await generate(model, request);
    expect(plain.images[0]!.recipe).toMatchObject({ guidance: draft.guidance });
    const withNegative = await generate(model, { ...request, negativePrompt: "clouds" });
    expect(withNegative.images[0]!.recipe).toMatchObject({ guidance: draft["guidance_with_negative"] });
    expect(draft["guidance_with_negative"]).toBeGreaterThan(1);
  }, 60_000);
});
