/**
 * Makes models/mirage-tiny/describer.json: renders labelled prompts through
 * the mirage-tiny pipeline users run (as drafts by default: on a shared 2-core machine a full-quality render costs seconds),
 * measures each render's style features, fits the per-axis style model and
 * writes the file with its phrases (docs/describe.md §4). CPU only, seeded:
 * the same command gives the same file on the same machine.
 *
 *   node --import tsx lib/describe/fit-describer.ts [--model models/mirage-tiny] [--renders 480] [--seed 7100] [--quality draft|full]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";
import { Judge } from "@/lib/diffusion/eval/judge";
import { readModelManifest } from "@/lib/models/manifest";
import { softmax } from "./candidates";
import { STYLE_CLASSES, ZDescriberFile, type TDescriberFile } from "./describer-file";
import { sampleLabelledPrompts, type TSceneVocabulary } from "./scenes";
import { axisProbabilities, fitSoftmax, standardize, styleFeatures } from "./style-model";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "models/mirage-tiny" },
    renders: { type: "string", default: "480" },
    seed: { type: "string", default: "7100" },
    out: { type: "string", default: "describer.json" },
    quality: { type: "string", default: "draft" },
    /** Features of earlier renders (same seed, count, quality, features): refitting skips the rendering. */
    cache: { type: "string", default: "models/train/.cache/describer-features.json" },
  },
});

/** The caption grammar's canonical phrase for each classifier label (models/mirage-tiny/README.md). */
const PHRASES: TDescriberFile["phrases"] = {
  size: { small: "small", large: "large" },
  position: { left: "on the left", right: "on the right", top: "at the top", bottom: "at the bottom", centre: "in the centre" },
  background: {
    plain: "on a plain background",
    sunset: "under a sunset sky",
    night: "under a night sky with stars",
    meadow: "over a green meadow",
    sea: "above the sea",
    snow: "in the snow",
  },
};

/** Pairs the renderer never draws (too little contrast), so the model cannot make them either. */
const EXCLUDED_PAIRS: Array<[string, string]> = [
  ["white", "plain"],
  ["white", "snow"],
  ["black", "night"],
  ["green", "meadow"],
  ["blue", "sea"],
  ["orange", "sunset"],
  ["pink", "sunset"],
];

const STATISTIC_FEATURES = ["mean_saturation", "warmth", "mean_luminance", "thin_dark_fraction", "soft_gradient_fraction", "high_frequency_energy"].map((name) => `stat:${name}`);
/** A style phrase is written only when the axis' model is at least this sure. */
const MIN_PROBABILITY = 0.6;
/**
 * Axes the renderer treats as on/off (models/train/render.py): an image that
 * does not ask for ink outlines, soft shading or detail is drawn without
 * them, the same as one that asks for "no outline" — so the describer can
 * only ever tell "positive" from "not positive" on these.
 */
const ON_OFF_AXES = new Set(["outline", "shading", "detail"]);
/** Share of the renders kept out of the fit to measure each axis' accuracy. */
const VALIDATION_SHARE = 0.2;

async function main(): Promise<void> {
  const started = performance.now();
  const command = `node --import tsx lib/describe/fit-describer.ts ${process.argv.slice(2).join(" ")}`.trim();
  const renders = Number(values.renders);
  const seed = Number(values.seed);
  const manifest = (await readModelManifest(values.model))?.manifest;
  if (!manifest?.style_axes) throw new Error(`${values.model}/mirage.json declares no style axes`);
  const judgeDir = "eval";
  const judge = await Judge.load(join(values.model, judgeDir));
  const vocabulary = { subject: judge.heads["subject"], colour: judge.heads["colour"], size: judge.heads["size"], position: judge.heads["position"], background: judge.heads["background"] } as TSceneVocabulary;
  const backgroundLabels = vocabulary.background;
  const features = [...STATISTIC_FEATURES, ...backgroundLabels.map((label) => `background:${label}`), ...vocabulary.colour.map((label) => `colour:${label}`)];
  const axes = manifest.style_axes.filter((axis) => axis.statistic).map((axis) => ({ id: axis.id, negative: axis.negative, positive: axis.positive }));
  const skeleton = { phrases: PHRASES, excluded_pairs: EXCLUDED_PAIRS, style: { axes } };
  const prompts = sampleLabelledPrompts(seed, renders, vocabulary, skeleton as never);

  const cacheKey = JSON.stringify({ seed, renders, quality: values.quality, features });
  const cached = (await readFile(values.cache, "utf8").then((text) => JSON.parse(text) as { key: string; raw: number[][] }).catch(() => null));
  const raw: Float64Array[] = cached?.key === cacheKey ? cached.raw.map((row) => Float64Array.from(row)) : [];
  const model = await loadModel(values.model);
  const sizes = Object.values(manifest.sizes ?? { "1:1": { width: 128, height: 128 } });
  for (const [index, item] of prompts.entries()) {
    if (raw.length > index) continue;
    // Most renders square (as most users ask), every fifth at another trained size.
    const size = index % 5 === 4 ? sizes[Math.floor(index / 5) % sizes.length]! : { width: 128, height: 128 };
    const made = await generate(model, { kind: "imagine", prompt: item.prompt, width: size.width, height: size.height, seed: item.seed, quality: values.quality as "full" | "draft", count: 1 });
    const image = made.images[0]!.image;
    const logits = await judge.logits(image);
    raw.push(styleFeatures(image, { background: { labels: backgroundLabels, probabilities: softmax(logits["background"]!) }, colour: { labels: vocabulary.colour, probabilities: softmax(logits["colour"]!) } }, features));
    if ((index + 1) % 50 === 0) console.log(`rendered ${index + 1}/${prompts.length} (${Math.round((performance.now() - started) / 1000)} s)`);
  }

  await mkdir(dirname(values.cache), { recursive: true });
  await writeFile(values.cache, JSON.stringify({ key: cacheKey, raw: raw.map((row) => [...row]) }));
  const mean = features.map((_, i) => raw.reduce((sum, x) => sum + x[i]!, 0) / raw.length);
  const scale = features.map((_, i) => Math.sqrt(raw.reduce((sum, x) => sum + (x[i]! - mean[i]!) ** 2, 0) / raw.length) || 1);
  const x = raw.map((row) => standardize(row, mean, scale));
  const cut = Math.round(x.length * (1 - VALIDATION_SHARE));
  const fitted = axes.map((axis) => {
    // On/off axes draw "neither" exactly like their negative pole, so the two are one class to learn.
    const y = prompts.map((item) => (ON_OFF_AXES.has(axis.id) && item.styles[axis.id] === 0 ? 1 : item.styles[axis.id]!));
    const weights = fitSoftmax(x.slice(0, cut), y.slice(0, cut), STYLE_CLASSES.length);
    let right = 0;
    for (let n = cut; n < x.length; n++) {
      const p = axisProbabilities(weights, x[n]!);
      if (p.indexOf(Math.max(...p)) === y[n]) right++;
    }
    const accuracy = Math.round((1000 * right) / (x.length - cut)) / 1000;
    const baseline = y.slice(cut).filter((label) => label === 1).length / (x.length - cut);
    console.log(`${axis.id.padEnd(12)} held-out accuracy ${accuracy.toFixed(3)} (always saying "neither": ${baseline.toFixed(3)})`);
    return { ...axis, weights: weights.map((row) => row.map((w) => Math.round(w * 1e5) / 1e5)), accuracy };
  });

  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const file: TDescriberFile = ZDescriberFile.parse({
    version: 1,
    judge: judgeDir,
    phrases: PHRASES,
    excluded_pairs: EXCLUDED_PAIRS,
    style: { features, mean: mean.map(round), scale: scale.map(round), min_probability: MIN_PROBABILITY, axes: fitted },
    fit: { command, renders, seed, validation_share: VALIDATION_SHARE, quality: values.quality, seconds: Math.round((performance.now() - started) / 1000) },
  });
  const out = resolve(values.model, values.out);
  await writeFile(out, `${JSON.stringify(file, null, 1)}\n`);
  console.log(`wrote ${out} in ${Math.round((performance.now() - started) / 1000)} s\ncommand: ${command}`);
  await judge.dispose();
  await disposeModels();
}

await main();
