/**
 * Vary Region quality check on mirage-tiny with its shipped judge
 * (models/mirage-tiny/eval/judge.onnx): N originals (different subjects,
 * colours, backgrounds and seeds, each a large subject in the centre), the
 * central box masked, and "a large blue star in the centre, <background>"
 * painted into it at full quality. A case passes when the judge reads the
 * edited image's subject as star and its colour as blue. Prints the pass
 * rate (the goal: ≥ 80 % of 40).
 *
 *   node --import tsx bench/editor/blue-star.ts [--cases 40] [--model models/mirage-tiny]
 */
import { join } from "node:path";
import { parseArgs } from "node:util";

import { disposeModels, generate, loadModel } from "@/lib/diffusion";
import { Judge } from "@/lib/diffusion/eval/judge";

const { values } = parseArgs({ options: { cases: { type: "string", default: "40" }, model: { type: "string", default: "models/mirage-tiny" } } });
const cases = Number(values.cases);

const SUBJECTS = ["circle", "square", "triangle", "heart", "house", "tree", "moon", "fish", "boat", "flower"];
const COLOURS = ["red", "orange", "yellow", "green", "purple", "pink", "white", "black"];
const BACKGROUNDS = [
  ["over a green meadow", "meadow"],
  ["above the sea", "sea"],
  ["under a sunset sky", "sunset"],
  ["under a night sky with stars", "night"],
  ["in the snow", "snow"],
  ["on a plain background", "plain"],
] as const;

/** The central box (the middle half of each side): where a large centred subject sits. */
function centreMask(width: number, height: number) {
  const data = new Uint8Array(width * height);
  for (let y = Math.floor(height / 4); y < Math.ceil((3 * height) / 4); y++) data.fill(255, y * width + Math.floor(width / 4), y * width + Math.ceil((3 * width) / 4));
  return { width, height, data };
}

async function main(): Promise<void> {
  const command = `node --import tsx bench/editor/blue-star.ts ${process.argv.slice(2).join(" ")}`.trim();
  const model = await loadModel(values.model);
  const judge = await Judge.load(join(values.model, "eval"));
  let passed = 0;
  const misses: string[] = [];
  for (let k = 0; k < cases; k++) {
    const subject = SUBJECTS[k % SUBJECTS.length]!;
    const colour = COLOURS[(k * 3) % COLOURS.length]!;
    const [phrase] = BACKGROUNDS[(k * 5) % BACKGROUNDS.length]!;
    const made = await generate(model, { kind: "imagine", prompt: `a large ${colour} ${subject} in the centre, ${phrase}`, width: 128, height: 128, seed: 1000 + k, quality: "full", count: 1 });
    const original = made.images[0]!.image;
    const edited = await generate(model, { kind: "inpaint", prompt: `a large blue star in the centre, ${phrase}`, image: original, mask: centreMask(128, 128), seed: 2000 + k, quality: "full", count: 1 });
    const labels = await judge.classify(edited.images[0]!.image);
    if (labels["subject"] === "star" && labels["colour"] === "blue") passed++;
    else misses.push(`#${k} ${colour} ${subject} ${phrase} → ${labels["colour"]} ${labels["subject"]}`);
  }
  console.log(`Vary Region "a large blue star in the centre" on ${cases} originals: judged blue star in ${passed}/${cases} = ${((100 * passed) / cases).toFixed(1)} %`);
  for (const miss of misses) console.log(`  miss ${miss}`);
  console.log(`command: ${command}`);
  await judge.dispose();
  await disposeModels();
}

await main();
