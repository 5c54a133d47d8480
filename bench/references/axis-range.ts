/**
 * Statistic ranges of a model's style axes, for style references (docs/references.md §2).
 *
 *   node --import tsx bench/references/axis-range.ts [--model models/mirage-tiny] [--quality draft]
 *
 * A reference image's style vector maps each axis' pixel statistic onto
 * [−1, 1] through `statistic_range: [at −1, at +1]` in the manifest. This
 * renders 6 calibration prompts × 4 seeds (not the acceptance test's) plain and
 * steered fully to each pole (coefficient ±γ, the --s 1000 strength) and prints
 * the mean statistic per pole: the pair to write into `style_axes[].statistic_range`.
 * A pole whose mean lies on the wrong side of the plain mean is flagged; such an
 * axis still gets the range of the plain images ± the observed spread.
 */
import { parseArgs } from "node:util";
import { STATISTICS, toFloatImage, type FloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import { DiffusionModel } from "@/lib/diffusion/model/diffusion-model";
import { diffuse } from "@/lib/diffusion/pipelines/diffuse";
import { presetFor } from "@/lib/diffusion/pipelines/presets";
import { modelStyle } from "@/lib/server/personalization/axes";

const { values } = parseArgs({ options: { model: { type: "string", default: "models/mirage-tiny" }, quality: { type: "string", default: "draft" } } });
const parts = values.model.replace(/\/+$/, "").split("/");
const modelId = parts.pop()!;
const model = await DiffusionModel.load(values.model);
const { axes } = await modelStyle(parts.join("/") || ".", modelId);
const sampler = presetFor({ layout: model.layout, takesGuidanceEmbedding: model.takesGuidanceEmbedding }, values.quality === "full" ? "full" : "draft");
const prompts = ["a purple heart", "an orange fish", "a white moon", "a pink flower", "a black ring", "a yellow triangle"];
const size = model.layout.manifest?.base_resolution ?? 128;

async function render(p: number, steering?: { negative: string; positive: string; coefficient: number }[]): Promise<FloatImage[]> {
  const seeds = [0, 1, 2, 3].map((i) => 7_001 + 53 * p + i);
  const images = await diffuse(model, { prompt: prompts[p]!, negativePrompt: "", sampler, seeds, width: size, height: size, ...(steering && { steering }) });
  return images.map((generated) => toFloatImage(generated.image));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const plain = (await Promise.all(prompts.map((_, p) => render(p)))).flat();
for (const axis of axes) {
  const statistic = axis.statistic ? STATISTICS[axis.statistic] : undefined;
  if (!statistic) continue;
  const poles: number[] = [];
  for (const sign of [-1, 1]) {
    const images: FloatImage[] = [];
    for (let p = 0; p < prompts.length; p++) images.push(...(await render(p, [{ negative: axis.negative, positive: axis.positive, coefficient: sign * (axis.gain ?? 1) }])));
    poles.push(mean(images.map(statistic)));
  }
  const centre = mean(plain.map(statistic));
  const ok = poles[0]! < centre && centre < poles[1]!;
  console.log(`${axis.id.padEnd(12)} ${axis.statistic!.padEnd(24)} −1: ${poles[0]!.toPrecision(4)}  plain: ${centre.toPrecision(4)}  +1: ${poles[1]!.toPrecision(4)}${ok ? "" : "  (not monotone)"}`);
}
