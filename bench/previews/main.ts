/**
 * What live previews cost (docs/live-previews.md §6), on a model (default
 * models/mirage-tiny), same prompts and seeds with and without previews:
 *
 *   node --import tsx bench/previews/main.ts [--model DIR] [--jobs N] [--quality full|draft]
 *
 * 1. In the inference loop (in-process, exact): the time the linear
 *    projection adds at the preview steps, as a share of the job's inference
 *    time — the GPU time a job is charged for. Beside it, what decoding the
 *    same x₀ estimates with the model's VAE decoder would cost instead.
 * 2. Worker side: encoding the previews as WebP data URLs (the worker's own
 *    process, beside inference, not in it).
 * 3. End to end through the child-process runner the worker uses, previews
 *    on (with the worker's encoding) and off, interleaved in pairs so machine
 *    drift hits both alike: Σ inference time and wall time per job.
 */
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

import type { Tensor } from "onnxruntime-node";

import { createDiffusionRunner, disposeModels, generate, loadModel, type LatentPreview, type TGenerationRequestInput } from "@/lib/diffusion";
import { fitLatentPreview, projectLatent } from "@/lib/diffusion/preview/latent-preview";
import { isPreviewStep } from "@/lib/diffusion/preview/preview-schedule";
import { encodePreview } from "@/workers/job-previews";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    jobs: { type: "string", default: "3" },
    quality: { type: "string", default: "full" },
  },
});
const modelDir = values.model ?? "models/mirage-tiny";
if (!existsSync(`${modelDir}/model_index.json`)) throw new Error(`no model at ${modelDir}`);
const jobs = Number(values.jobs);
const quality = values.quality === "draft" ? "draft" : "full";
const PROMPTS = ["a large red circle on the left, sunset background", "a small blue fish at the bottom, sea background", "a yellow star in the centre, night background"];
const request = (i: number): TGenerationRequestInput => ({ kind: "imagine", prompt: PROMPTS[i % PROMPTS.length]!, seed: 1000 + i, width: 128, height: 128, quality, count: 4 });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(3)} %`;

console.log(`command: node --import tsx bench/previews/main.ts --model ${modelDir} --jobs ${jobs} --quality ${quality}`);
console.log(`model ${modelDir}, ${quality} quality, 4 images per job at 128×128, ${jobs} jobs per configuration\n`);

// 1. In-process: the projection's cost inside the loop, and the VAE alternative.
const model = await loadModel(modelDir);
const fitStarted = performance.now();
const decoder = await fitLatentPreview(model.diffusion);
console.log(`preview decoder fitted from the VAE in ${(performance.now() - fitStarted).toFixed(0)} ms (once per model load, at preload)`);
await generate(model, request(0)); // warm-up
const loop = { inferenceMs: [] as number[], projectMs: [] as number[], vaeMs: [] as number[], encodeMs: [] as number[], previews: 0, bytes: 0 };
for (let i = 0; i < jobs; i++) {
  const captured: { completed: number; total: number; denoised: Tensor[] }[] = [];
  let projectMs = 0;
  const previews: LatentPreview[] = [];
  const result = await generate(model, request(i), {
    onDenoised: (denoised, { completed, total }) => {
      if (!isPreviewStep(completed, total)) return;
      const started = performance.now();
      const images = denoised.map((latent) => projectLatent(decoder, latent));
      projectMs += performance.now() - started;
      previews.push({ completed, total, images });
      captured.push({ completed, total, denoised: [...denoised] });
    },
  });
  // The alternative: the real VAE decoder on the same x₀ estimates (run after the job, timed alone).
  const vaeStarted = performance.now();
  for (const step of captured) for (const latent of step.denoised) await model.diffusion.decodeLatents(latent);
  const vaeMs = performance.now() - vaeStarted;
  const encodeStarted = performance.now();
  const encoded = await Promise.all(previews.map(encodePreview));
  loop.encodeMs.push(performance.now() - encodeStarted);
  loop.bytes += sum(encoded.flatMap((event) => event.images.map((url) => url.length)));
  loop.previews += previews.length;
  loop.inferenceMs.push(result.timings.inferenceMs);
  loop.projectMs.push(projectMs);
  loop.vaeMs.push(vaeMs);
}
await disposeModels();
const inference = sum(loop.inferenceMs);
console.log(`\n1. inside the inference loop (${loop.previews / jobs} previews per job)`);
console.log(`   job inference time        ${(inference / jobs).toFixed(0)} ms per job`);
console.log(`   linear projection         ${(sum(loop.projectMs) / jobs).toFixed(2)} ms per job = ${pct(sum(loop.projectMs), inference)} of inference   <- what previews add`);
console.log(`   VAE decoder instead       ${(sum(loop.vaeMs) / jobs).toFixed(0)} ms per job = ${pct(sum(loop.vaeMs), inference)} of inference`);
console.log(`\n2. worker side (its own process, beside inference)`);
console.log(`   WebP encoding             ${(sum(loop.encodeMs) / jobs).toFixed(1)} ms per job; ${(loop.bytes / loop.previews / 4).toFixed(0)} characters per image data URL`);

// 3. End to end through the runner, interleaved pairs.
const on = createDiffusionRunner({ previews: true });
const off = createDiffusionRunner({ previews: false });
await Promise.all([on.preload(modelDir), off.preload(modelDir)]);
await on.generate(modelDir, request(0), { onPreview: () => undefined });
await off.generate(modelDir, request(0));
const runs = { on: { inference: [] as number[], wall: [] as number[] }, off: { inference: [] as number[], wall: [] as number[] } };
let received = 0;
for (let i = 0; i < jobs; i++) {
  for (const which of i % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
    const started = performance.now();
    const result =
      which === "on"
        ? await on.generate(modelDir, request(i), { onPreview: (preview) => void encodePreview(preview).then(() => (received += 1)) })
        : await off.generate(modelDir, request(i));
    runs[which].wall.push(performance.now() - started);
    runs[which].inference.push(result.timings.inferenceMs);
  }
}
await Promise.all([on.close(), off.close()]);
const delta = (key: "inference" | "wall") => median(runs.on[key].map((v, i) => v - runs.off[key][i]!));
console.log(`\n3. through the worker's runner, previews on vs off (${jobs} interleaved pairs, ${received} previews encoded)`);
console.log(`   inference per job         on ${median(runs.on.inference).toFixed(0)} ms, off ${median(runs.off.inference).toFixed(0)} ms; median paired difference ${delta("inference").toFixed(1)} ms = ${pct(delta("inference"), median(runs.off.inference))}`);
console.log(`   wall per job              on ${median(runs.on.wall).toFixed(0)} ms, off ${median(runs.off.wall).toFixed(0)} ms; median paired difference ${delta("wall").toFixed(1)} ms = ${pct(delta("wall"), median(runs.off.wall))}`);
console.log(`   (3 is noisy on a shared machine; 1 is the cost itself)`);
