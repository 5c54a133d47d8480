/**
 * Pipeline benchmark: draft and full quality at 1:1 and 16:9 on a model
 * (default models/mirage-tiny), printing per-stage milliseconds, images per
 * second and overhead = wall time ÷ Σ onnxruntime run time.
 *
 *   node --import tsx bench/pipeline/main.ts [--model DIR] [--jobs N] [--count N] [--threads N] [--runner]
 *                                            [--provider cpu|cuda] [--device N]
 *
 * Each configuration runs one untimed warm-up job, then --jobs timed jobs of
 * --count images (a Mirage grid is 4). --runner also times the same jobs
 * through the child-process runner the BullMQ worker uses. --provider cuda
 * (with --device N, the GPU index) runs on onnxruntime's CUDA execution
 * provider, as a worker with EXECUTION_PROVIDER=cuda does; the first line of
 * the output names the provider the UNet actually got.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

import { createDiffusionRunner, disposeModels, generate, loadModel, type LoadedModel, type StageTimings } from "@/lib/diffusion";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    jobs: { type: "string", default: "5" },
    count: { type: "string", default: "4" },
    threads: { type: "string" },
    runner: { type: "boolean", default: false },
    provider: { type: "string", default: "cpu" },
    device: { type: "string", default: "0" },
  },
});

const FALLBACK_MODEL = "tests/fixtures/diffusion/tiny-sd-optimum";
const modelDir = values.model ?? (existsSync("models/mirage-tiny/model_index.json") ? "models/mirage-tiny" : FALLBACK_MODEL);
const jobs = Number(values.jobs);
const count = Number(values.count);
const threads = values.threads === undefined ? undefined : Number(values.threads);
if (values.provider !== "cpu" && values.provider !== "cuda") throw new Error(`--provider must be cpu or cuda, not ${values.provider}`);
const provider: "cpu" | "cuda" = values.provider;
const deviceId = Number(values.device);
if (!Number.isInteger(deviceId) || deviceId < 0) throw new Error(`--device must be a GPU index ≥ 0, not ${values.device}`);
const sessionOptions = { provider, deviceId, ...(threads === undefined ? {} : { intraOpNumThreads: threads }) };

interface Row {
  quality: "draft" | "full";
  aspect: string;
  width: number;
  height: number;
  steps: number;
  textEncoderMs: number;
  unetStepMs: number;
  vaeDecodeMs: number;
  wallMs: number;
  inferenceMs: number;
  imagesPerSecond: number;
  overhead: number;
}

function sizesFor(model: LoadedModel): Array<[string, number, number]> {
  const sizes = model.diffusion.layout.manifest?.sizes ?? {};
  const pick = (aspect: string, fallback: [number, number]): [string, number, number] => {
    const size = sizes[aspect];
    return size ? [aspect, size.width, size.height] : [aspect, ...fallback];
  };
  const base = model.diffusion.layout.manifest?.base_resolution ?? 64;
  return [pick("1:1", [base, base]), pick("16:9", [Math.round((base * 4) / 3 / 16) * 16, Math.round((base * 3) / 4 / 16) * 16])];
}

function summarize(quality: Row["quality"], aspect: string, width: number, height: number, steps: number, runs: StageTimings[]): Row {
  const sum = (pick: (t: StageTimings) => number) => runs.reduce((s, t) => s + pick(t), 0);
  const wallMs = sum((t) => t.wallMs);
  const inferenceMs = sum((t) => t.inferenceMs);
  return {
    quality,
    aspect,
    width,
    height,
    steps,
    textEncoderMs: sum((t) => t.textEncoderMs) / runs.length,
    unetStepMs: sum((t) => t.unetMs) / sum((t) => t.unetCalls),
    vaeDecodeMs: sum((t) => t.vaeDecoderMs) / (runs.length * count),
    wallMs: wallMs / runs.length,
    inferenceMs: inferenceMs / runs.length,
    imagesPerSecond: (runs.length * count) / (wallMs / 1000),
    overhead: wallMs / inferenceMs,
  };
}

async function main(): Promise<void> {
  const command = `node --import tsx bench/pipeline/main.ts ${process.argv.slice(2).join(" ")}`.trim();
  const model = await loadModel(modelDir, sessionOptions);
  const rows: Row[] = [];
  for (const [aspect, width, height] of sizesFor(model)) {
    for (const quality of ["draft", "full"] as const) {
      const request = { kind: "imagine", prompt: "a large red circle on the left, sunset background", width, height, quality, count } as const;
      await generate(model, { ...request, seed: 0 });
      const runs: StageTimings[] = [];
      let steps = 0;
      for (let j = 0; j < jobs; j++) {
        const result = await generate(model, { ...request, seed: 1 + j * count });
        steps = result.images[0]!.recipe.steps;
        runs.push(result.timings);
      }
      rows.push(summarize(quality, aspect, width, height, steps, runs));
    }
  }

  console.log(`model ${model.diffusion.name} (${modelDir}), provider ${model.diffusion.provider}, ${jobs} jobs × ${count} images per row`);
  console.table(
    rows.map((r) => ({
      quality: r.quality,
      size: `${r.aspect} ${r.width}×${r.height}`,
      steps: r.steps,
      "text enc ms": r.textEncoderMs.toFixed(2),
      "unet ms/step": r.unetStepMs.toFixed(2),
      "vae dec ms/img": r.vaeDecodeMs.toFixed(2),
      "job wall ms": r.wallMs.toFixed(1),
      "images/s": r.imagesPerSecond.toFixed(1),
      overhead: r.overhead.toFixed(3),
    })),
  );
  for (const aspect of new Set(rows.map((r) => r.aspect))) {
    const draft = rows.find((r) => r.aspect === aspect && r.quality === "draft")!;
    const full = rows.find((r) => r.aspect === aspect && r.quality === "full")!;
    console.log(`${aspect}: draft wall / full wall = ${(draft.wallMs / full.wallMs).toFixed(3)} (goal ≤ 0.167)`);
  }
  const worst = Math.max(...rows.map((r) => r.overhead));
  console.log(`worst overhead ${worst.toFixed(3)} (goal ≤ 1.05)`);

  if (values.runner) {
    const runner = createDiffusionRunner(sessionOptions);
    const [aspect, width, height] = sizesFor(model)[0]!;
    const request = { kind: "imagine", prompt: "a large red circle on the left", width, height, quality: "full", count } as const;
    await runner.generate(modelDir, { ...request, seed: 0 });
    const started = performance.now();
    let inference = 0;
    for (let j = 0; j < jobs; j++) inference += (await runner.generate(modelDir, { ...request, seed: 1 + j })).timings.inferenceMs;
    const wall = performance.now() - started;
    console.log(
      `child-process runner, full ${aspect}: ${(wall / jobs).toFixed(1)} ms per job, overhead incl. the process hop ${(wall / inference).toFixed(3)}`,
    );
    await runner.close();
  }
  console.log(`command: ${command}`);
  await disposeModels();
}

await main();
