/**
 * Reruns mirage-tiny's held-out evaluation through the TypeScript pipeline and
 * compares with the numbers the training side reported (eval/results.json).
 *
 *   node --import tsx lib/diffusion/eval/main.ts [--model models/mirage-tiny] [--settings full,draft] [--limit N] [--no-style] [--out FILE]
 *
 * Protocol (eval/prompts.json): per prompt, noise = torch.manual_seed(seed);
 * randn(1, 4, H/8, W/8), DDIM η 0 with the setting's steps, spacing and
 * guidance, empty negative prompt; attributes judged by eval/judge.onnx; a
 * style pair passes when the statistic of the positive image is larger.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";

import { DiffusionModel } from "../model/diffusion-model";
import { diffuse } from "../pipelines/diffuse";
import type { RgbImage, SamplerSettings, TimestepSpacing } from "../pipelines/types";
import { Judge } from "./judge";
import { STATISTICS, toFloatImage } from "./pixel-statistics";

interface PromptSet {
  settings: Record<string, { steps: number; spacing: TimestepSpacing; guidance: number }>;
  prompts: Array<{ id: string; prompt: string; negative_prompt: string; width: number; height: number; seed: number; expected: Record<string, string> }>;
  style_pairs: Array<{ id: string; axis: string; statistic: string; seed: number; width: number; height: number; negative: { prompt: string }; positive: { prompt: string } }>;
}

const ATTRIBUTES = ["colour", "subject", "position", "size", "background"] as const;

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/mirage-tiny" },
    settings: { type: "string", default: "full,draft" },
    limit: { type: "string" },
    "no-style": { type: "boolean", default: false },
    out: { type: "string" },
  },
});

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const evalDir = join(values.model, "eval");
  const set = await readJson<PromptSet>(join(evalDir, "prompts.json"));
  if (!set) throw new Error(`${evalDir}/prompts.json not found`);
  const reported = await readJson<Record<string, Record<string, unknown>>>(join(evalDir, "results.json"));
  const limit = values.limit ? Number(values.limit) : undefined;
  const prompts = limit ? set.prompts.slice(0, limit) : set.prompts;
  const pairs = limit ? set.style_pairs.filter((p) => Number(p.id.split("_").pop()) < Math.max(1, Math.floor(limit / 7))) : set.style_pairs;

  const model = await DiffusionModel.load(values.model);
  const judge = await Judge.load(evalDir);
  const render = async (prompt: string, negativePrompt: string, width: number, height: number, seed: number, sampler: SamplerSettings): Promise<RgbImage> => {
    const [out] = await diffuse(model, { prompt, negativePrompt, sampler, seeds: [seed], width, height });
    return out!.image;
  };

  const results: Record<string, Record<string, unknown>> = {};
  for (const name of values.settings.split(",")) {
    const setting = set.settings[name];
    if (!setting) throw new Error(`unknown setting ${name}`);
    const sampler: SamplerSettings = { scheduler: "DDIMScheduler", steps: setting.steps, guidance: setting.guidance, timestepSpacing: setting.spacing };
    const started = performance.now();
    const hits = Object.fromEntries(ATTRIBUTES.map((a) => [a, 0])) as Record<(typeof ATTRIBUTES)[number], number>;
    for (const p of prompts) {
      const labels = await judge.classify(await render(p.prompt, p.negative_prompt, p.width, p.height, p.seed, sampler));
      for (const a of ATTRIBUTES) if (labels[a] === p.expected[a]) hits[a]++;
    }
    const row: Record<string, unknown> = Object.fromEntries(ATTRIBUTES.map((a) => [a, hits[a] / prompts.length]));
    row["seconds_attributes"] = Math.round((performance.now() - started) / 100) / 10;
    if (!values["no-style"]) {
      const startedStyle = performance.now();
      const passes = new Map<string, number[]>();
      for (const pair of pairs) {
        const statistic = STATISTICS[pair.statistic];
        if (!statistic) throw new Error(`unknown statistic ${pair.statistic}`);
        const negative = await render(pair.negative.prompt, "", pair.width, pair.height, pair.seed, sampler);
        const positive = await render(pair.positive.prompt, "", pair.width, pair.height, pair.seed, sampler);
        const passed = statistic(toFloatImage(positive)) > statistic(toFloatImage(negative)) ? 1 : 0;
        passes.set(pair.axis, [...(passes.get(pair.axis) ?? []), passed]);
      }
      row["style"] = Object.fromEntries([...passes].map(([axis, list]) => [axis, list.reduce((a, b) => a + b, 0) / list.length]));
      row["seconds_style"] = Math.round((performance.now() - startedStyle) / 100) / 10;
    }
    results[name] = row;
    console.log(name, JSON.stringify(row));
  }

  if (reported) {
    console.log("\nmetric                       TypeScript  reported  |Δ|");
    let worst = 0;
    for (const [name, row] of Object.entries(results)) {
      const theirs = reported[name] ?? {};
      const compare = (label: string, ours: unknown, other: unknown) => {
        if (typeof ours !== "number" || typeof other !== "number") return;
        const delta = Math.abs(ours - other);
        worst = Math.max(worst, delta);
        console.log(`${`${name}.${label}`.padEnd(28)} ${ours.toFixed(3).padStart(10)} ${other.toFixed(3).padStart(9)}  ${delta.toFixed(3)}`);
      };
      for (const a of ATTRIBUTES) compare(a, row[a], theirs[a]);
      const ourStyle = (row["style"] ?? {}) as Record<string, number>;
      const theirStyle = (theirs["style"] ?? {}) as Record<string, number>;
      for (const axis of Object.keys(ourStyle)) compare(`style.${axis}`, ourStyle[axis], theirStyle[axis]);
    }
    console.log(`largest difference ${worst.toFixed(3)} (goal ≤ 0.03)${limit ? " — partial run (--limit), not comparable" : ""}`);
  }
  if (values.out) await writeFile(values.out, `${JSON.stringify({ model: values.model, limit: limit ?? null, results }, null, 1)}\n`);
  await judge.dispose();
  await model.dispose();
}

await main();
