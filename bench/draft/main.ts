/**
 * Draft vs full quality for the same prompt and size, through the engine the
 * workers use (inference in a child process).
 *
 *   node --import tsx bench/draft/main.ts [--model models/mirage-tiny] [--runs 5] [--ar 1:1]
 *
 * Prints wall time per grid of four and measured GPU (inference) time with
 * its stages, and draft ÷ full for both (goal: ≤ 1/6). Draft and full runs
 * alternate and the ratio is the median of each pair's ratio, so a change in
 * machine load during the run moves both sides alike.
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

type Timings = Awaited<ReturnType<typeof runner.generate>>["timings"];

async function once(quality: "draft" | "full", run: number): Promise<Timings> {
  const result = await runner.generate(modelDir, { kind: "imagine", prompt: values.prompt, seed: 1000 + run, width: size.width, height: size.height, quality, count: 4 });
  return result.timings;
}

await runner.preload(modelDir);
await once("draft", 0); // warm-up of both paths
await once("full", 0);
const pairs: Array<{ draft: Timings; full: Timings }> = [];
for (let run = 0; run < runs; run += 1) pairs.push({ draft: await once("draft", run), full: await once("full", run) });
await runner.close();

const of = (quality: "draft" | "full", field: keyof Timings) => median(pairs.map((pair) => pair[quality][field]));
const stages = (quality: "draft" | "full") =>
  `text encoder ${of(quality, "textEncoderMs").toFixed(1)}, UNet ${of(quality, "unetMs").toFixed(1)} (${of(quality, "unetCalls")} calls), VAE decoder ${of(quality, "vaeDecoderMs").toFixed(1)}`;
const draft = { wall: of("draft", "wallMs"), gpu: of("draft", "inferenceMs") };
const full = { wall: of("full", "wallMs"), gpu: of("full", "inferenceMs") };
const ratio = { wall: median(pairs.map((pair) => pair.draft.wallMs / pair.full.wallMs)), gpu: median(pairs.map((pair) => pair.draft.inferenceMs / pair.full.inferenceMs)) };
console.log(`model ${model.name}, ${size.width}×${size.height} (--ar ${values.ar}), grid of 4, median of ${runs} runs, CPU`);
console.log(`draft: wall ${draft.wall.toFixed(1)} ms, GPU ${draft.gpu.toFixed(1)} ms — ${stages("draft")}`);
console.log(`full:  wall ${full.wall.toFixed(1)} ms, GPU ${full.gpu.toFixed(1)} ms — ${stages("full")}`);
console.log(`draft ÷ full (median of per-pair ratios): wall ${ratio.wall.toFixed(3)}, GPU ${ratio.gpu.toFixed(3)} (goal ≤ 0.167)`);
console.log(`command: node --import tsx bench/draft/main.ts --model ${values.model} --runs ${runs} --ar ${values.ar}`);
