/**
 * Describe on held-out renders (docs/describe.md §7): N prompts drawn from a
 * seed the describer's fit never used (any prompt the fit rendered is
 * skipped), rendered through the mirage-tiny pipeline, described; a case
 * passes when the best candidate names the prompt's subject, colour and
 * background. Exits 1 below the goal (the issue's: ≥ 90 % of 200).
 *
 *   node --import tsx bench/describe/held-out.ts [--cases 200] [--quality draft|full] [--seed 9100] [--model models/mirage-tiny]
 */
import { parseArgs } from "node:util";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";
import { Describer } from "@/lib/describe/describer";
import { sampleLabelledPrompts, type TSceneVocabulary } from "@/lib/describe/scenes";
import { z } from "zod";

/** The part of the describer file's `fit` record needed to leave the fit's own prompts out. */
const ZFitInfo = z.looseObject({ seed: z.number().int(), renders: z.number().int().positive() });

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "200" },
    quality: { type: "string", default: "draft" },
    seed: { type: "string", default: "9100" },
    model: { type: "string", default: "models/mirage-tiny" },
    goal: { type: "string", default: "0.9" },
  },
});

async function main(): Promise<void> {
  const command = `node --import tsx bench/describe/held-out.ts ${process.argv.slice(2).join(" ")}`.trim();
  const started = performance.now();
  const cases = Number(values.cases);
  const describer = await Describer.load(values.model);
  if (!describer) throw new Error(`${values.model} ships no describer`);
  const labels = describer.heads;
  const vocabulary = { subject: labels["subject"], colour: labels["colour"], size: labels["size"], position: labels["position"], background: labels["background"] } as TSceneVocabulary;
  const fit = ZFitInfo.parse(describer.file.fit);
  const fitted = new Set(sampleLabelledPrompts(fit.seed, fit.renders, vocabulary, describer.file).map((item) => item.prompt));
  const prompts = sampleLabelledPrompts(Number(values.seed), cases * 2, vocabulary, describer.file)
    .filter((item) => !fitted.has(item.prompt))
    .slice(0, cases);
  if (prompts.length < cases) throw new Error("not enough held-out prompts");

  const model = await loadModel(values.model);
  const hits = { subject: 0, colour: 0, background: 0, all: 0, anyCandidate: 0 };
  const misses: string[] = [];
  for (const item of prompts) {
    const made = await generate(model, { kind: "imagine", prompt: item.prompt, width: 128, height: 128, seed: item.seed, quality: values.quality as "draft" | "full", count: 1 });
    const candidates = await describer.describe(made.images[0]!.image);
    const best = candidates[0]!.scene;
    const same = (scene: typeof best) => scene.subject === item.scene.subject && scene.colour === item.scene.colour && scene.background === item.scene.background;
    if (best.subject === item.scene.subject) hits.subject++;
    if (best.colour === item.scene.colour) hits.colour++;
    if (best.background === item.scene.background) hits.background++;
    if (same(best)) hits.all++;
    else misses.push(`"${item.prompt}" (seed ${item.seed}) → "${candidates[0]!.prompt}"`);
    if (candidates.some((candidate) => same(candidate.scene))) hits.anyCandidate++;
  }
  const rate = (n: number) => (n / prompts.length).toFixed(3);
  console.log(`Describe on ${prompts.length} held-out ${values.quality} renders of ${values.model}:`);
  console.log(`  best candidate: subject ${rate(hits.subject)}, colour ${rate(hits.colour)}, background ${rate(hits.background)}; all three ${hits.all}/${prompts.length} = ${rate(hits.all)}`);
  console.log(`  any of the four candidates has all three: ${rate(hits.anyCandidate)}`);
  for (const miss of misses.slice(0, 20)) console.log(`  miss ${miss}`);
  console.log(`${Math.round((performance.now() - started) / 1000)} s; command: ${command}`);
  await describer.dispose();
  await disposeModels();
  if (hits.all / prompts.length < Number(values.goal)) {
    console.error(`below the goal of ${values.goal}`);
    process.exitCode = 1;
  }
}

await main();
