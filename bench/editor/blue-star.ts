/**
 * Vary Region quality check on mirage-tiny with its shipped judge, in
 * process: N cases of tests/support/blue-star-cases.ts (a large subject in
 * the centre, its central box masked, "a large blue star in the centre"
 * painted into it at full quality), one image each. Prints the pass rate
 * (the goal: ≥ 80 % of 40; the integration test checks 40 images
 * through a real worker).
 *
 *   node --import tsx bench/editor/blue-star.ts [--cases 40] [--model models/mirage-tiny]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";
import { Judge } from "@/lib/diffusion/eval/judge";
import { blueStarCase, centreMask, isBlueStar } from "../../tests/support/blue-star-cases";

const { values } = parseArgs({ options: { cases: { type: "string", default: "40" }, model: { type: "string", default: "models/mirage-tiny" } } });
const cases = Number(values.cases);

async function main(): Promise<void> {
  const command = `node --import tsx bench/editor/blue-star.ts ${process.argv.slice(2).join(" ")}`.trim();
  const model = await loadModel(values.model);
  const judge = await Judge.load(join(values.model, "eval"));
  let passed = 0;
  const misses: string[] = [];
  for (let k = 0; k < cases; k++) {
    const { original: prompt, edit, originalSeed, editSeed } = blueStarCase(k);
    const made = await generate(model, { kind: "imagine", prompt, width: 128, height: 128, seed: originalSeed, quality: "full", count: 1 });
    const original = made.images[0]!.image;
    const edited = await generate(model, { kind: "inpaint", prompt: edit, image: original, mask: centreMask(128, 128), seed: editSeed, quality: "full", count: 1 });
    const labels = await judge.classify(edited.images[0]!.image);
    if (isBlueStar(labels)) passed++;
    else misses.push(`#${k} ${prompt} → ${labels["colour"]} ${labels["subject"]}`);
  }
  console.log(`Vary Region "a large blue star in the centre" on ${cases} originals: judged blue star in ${passed}/${cases} = ${((100 * passed) / cases).toFixed(1)} %`);
  for (const miss of misses) console.log(`  miss ${miss}`);
  console.log(`command: ${command}`);
  await judge.dispose();
  await disposeModels();
}

await main();
