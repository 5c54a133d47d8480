/**
 * Editor benchmark: the GPU time (Σ onnxruntime run time, what a job is
 * charged) of each edit kind relative to an imagine of the same output size
 * and quality, on a model (default models/mirage-tiny).
 *
 *   node --import tsx bench/editor/main.ts [--model DIR] [--jobs N] [--count N] [--quality full|draft]
 *                                          [--threads N] [--provider cpu|cuda] [--device N]
 *
 * Each edit runs in pairs with its imagine (edit, imagine, edit, imagine, …)
 * after one untimed warm-up of each, so a change of load hits both sides; the
 * ratio printed is the median of the per-pair ratios. The source image is an
 * imagine at the model's 1:1 size (16:9 for Make Square).
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";

import { disposeModels, generate, loadModel, outpaintLayout, type LoadedModel, type RgbImage, type TGenerationRequestInput } from "@/lib/diffusion";
import { sizeMultipleOf, type TOutpaintMove } from "@/lib/editor/outpaint-layout";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    jobs: { type: "string", default: "5" },
    count: { type: "string", default: "4" },
    quality: { type: "string", default: "full" },
    threads: { type: "string" },
    provider: { type: "string", default: "cpu" },
    device: { type: "string", default: "0" },
  },
});

const modelDir = values.model ?? (existsSync("models/mirage-tiny/model_index.json") ? "models/mirage-tiny" : "tests/fixtures/diffusion/tiny-sd-optimum");
const jobs = Number(values.jobs);
const count = Number(values.count);
if (values.quality !== "full" && values.quality !== "draft") throw new Error(`--quality must be full or draft, not ${values.quality}`);
const quality: "full" | "draft" = values.quality;
if (values.provider !== "cpu" && values.provider !== "cuda") throw new Error(`--provider must be cpu or cuda, not ${values.provider}`);
const provider: "cpu" | "cuda" = values.provider;
const sessionOptions = { provider, deviceId: Number(values.device), ...(values.threads === undefined ? {} : { intraOpNumThreads: Number(values.threads) }) };

const PROMPT = "a large red circle in the centre, over a green meadow";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A white square over the middle quarter of the image: Vary Region's mask. */
function centreMask(width: number, height: number) {
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(height / 4); y < Math.floor((3 * height) / 4); y++) data.fill(255, y * width + Math.floor(width / 4), y * width + Math.floor((3 * width) / 4));
  return { width, height, data };
}

async function source(model: LoadedModel, aspect: string): Promise<RgbImage> {
  const size = model.diffusion.layout.manifest?.sizes?.[aspect] ?? { width: 64, height: aspect === "1:1" ? 64 : 40 };
  const made = await generate(model, { kind: "imagine", prompt: PROMPT, ...size, seed: 99, quality: "draft", count: 1 });
  return made.images[0]!.image;
}

interface Row {
  edit: string;
  size: string;
  editMs: number;
  imagineMs: number;
  ratio: number;
}

async function measure(model: LoadedModel, name: string, edit: TGenerationRequestInput, size: { width: number; height: number }): Promise<Row> {
  const imagine = { kind: "imagine", prompt: PROMPT, ...size, quality, count } as const;
  await generate(model, { ...edit, seed: 0 });
  await generate(model, { ...imagine, seed: 0 });
  const editMs: number[] = [];
  const imagineMs: number[] = [];
  for (let j = 0; j < jobs; j++) {
    editMs.push((await generate(model, { ...edit, seed: 1 + j })).timings.inferenceMs);
    imagineMs.push((await generate(model, { ...imagine, seed: 1 + j })).timings.inferenceMs);
  }
  return {
    edit: name,
    size: `${size.width}×${size.height}`,
    editMs: median(editMs),
    imagineMs: median(imagineMs),
    ratio: median(editMs.map((ms, j) => ms / imagineMs[j]!)),
  };
}

async function main(): Promise<void> {
  const command = `node --import tsx bench/editor/main.ts ${process.argv.slice(2).join(" ")}`.trim();
  const model = await loadModel(modelDir, sessionOptions);
  const multiple = sizeMultipleOf(model.diffusion.layout.manifest);
  const square = await source(model, "1:1");
  const wide = await source(model, "16:9");
  // seed 0 is replaced per run by measure().
  const common = { prompt: PROMPT, quality, count, seed: 0 } as const;
  const outpaint = (image: RgbImage, move: TOutpaintMove) => ({
    request: { kind: "outpaint", ...common, image, move } as const,
    size: outpaintLayout(image, move, multiple).canvas,
  });
  const cases: Array<[string, { request: TGenerationRequestInput; size: { width: number; height: number } }]> = [
    ["Vary Region (¼ of the area)", { request: { kind: "inpaint", ...common, image: square, mask: centreMask(square.width, square.height) }, size: square }],
    ["Zoom Out 2×", outpaint(square, { kind: "zoom", factor: 2 })],
    ["Zoom Out 1.5×", outpaint(square, { kind: "zoom", factor: 1.5 })],
    ["Pan ←", outpaint(square, { kind: "pan", direction: "left" })],
    ["Pan ↑", outpaint(square, { kind: "pan", direction: "up" })],
    ["Make Square (16:9)", outpaint(wide, { kind: "square" })],
  ];
  const rows: Row[] = [];
  for (const [name, { request, size }] of cases) rows.push(await measure(model, name, request, { width: size.width, height: size.height }));

  console.log(`model ${model.diffusion.name} (${modelDir}), provider ${model.diffusion.provider}, ${quality} quality, ${jobs} pairs × ${count} images, GPU time = Σ onnxruntime run ms per job (median)`);
  console.table(
    rows.map((r) => ({
      edit: r.edit,
      "output size": r.size,
      "edit ms": r.editMs.toFixed(1),
      "imagine ms (same size)": r.imagineMs.toFixed(1),
      "edit ÷ imagine": r.ratio.toFixed(3),
    })),
  );
  console.log(`command: ${command}`);
  await disposeModels();
}

await main();
