/**
 * Draft vs full quality for the same prompt and size, through the engine the
 * workers use (inference in a child process).
 *
 *   node --import tsx bench/draft/main.ts [--model models/mirage-tiny] [--runs 5] [--ar 1:1]
 *
 * Prints wall time per grid of four and measured GPU (inference) time, and
 * draft ÷ full for both (goal: ≤ 1/6).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { createDiffusionRunner } from "@/lib/diffusion";
import { listModels, sizeForAspect } from "@/lib/models/catalog";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/mirage-tiny" },
    runs: { type: "string", default: "5" },
    ar: { type: "string", default: "1:1" },
    prompt: { type: "string", default: "a large red house on the left under a sunset sky" },
  },
});
const modelDir = path.resolve(values.model);
const model = (await listModels(path.dirname(modelDir))).find((candidate) => candidate.id === path.basename(modelDir));
if (!model) throw new Error(`${modelDir} is not a model folder`);
const [w = 1, h = 1] = values.ar.split(":").map(Number);
const size = sizeForAspect(model, { width: w, height: h });
const runs = Number(values.runs);
const runner = createDiffusionRunner({ provider: "cpu" });

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function measure(quality: "draft" | "full") {
  const wall: number[] = [];
  const gpu: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await runner.generate(modelDir, { kind: "imagine", prompt: values.prompt, seed: 1000 + run, width: size.width, height: size.height, quality, count: 4 });
    wall.push(result.timings.wallMs);
    gpu.push(result.timings.inferenceMs);
  }
  return { wall: median(wall), gpu: median(gpu) };
}

await runner.preload(modelDir);
await measure("draft"); // warm-up of both paths
const draft = await measure("draft");
const full = await measure("full");
await runner.close();
console.log(`model ${model.name}, ${size.width}×${size.height} (--ar ${values.ar}), grid of 4, median of ${runs} runs, CPU`);
console.log(`draft: wall ${draft.wall.toFixed(1)} ms, GPU ${draft.gpu.toFixed(1)} ms`);
console.log(`full:  wall ${full.wall.toFixed(1)} ms, GPU ${full.gpu.toFixed(1)} ms`);
console.log(`draft ÷ full: wall ${(draft.wall / full.wall).toFixed(3)}, GPU ${(draft.gpu / full.gpu).toFixed(3)} (goal ≤ 0.167)`);
console.log(`command: node --import tsx bench/draft/main.ts --model ${values.model} --runs ${runs} --ar ${values.ar}`);
