/**
 * Labelled prompts in mirage-tiny's caption grammar, drawn from a seed: the
 * describer's fit renders them to learn from, and the held-out bench renders
 * others to test it on (docs/describe.md §4). Scenes follow the training
 * distribution (models/train/render.py): one object, every attribute
 * uniform, each style axis unspecified half the time and either pole a
 * quarter of the time each.
 */
import { createRng, randomInt } from "@/lib/personalization/rng";
import { writePrompt, type TScene } from "./candidates";
import type { TDescriberFile } from "./describer-file";

export interface TLabelledPrompt {
  prompt: string;
  scene: TScene;
  /** Per style axis id: 0 negative phrase, 1 neither, 2 positive phrase (STYLE_CLASSES order). */
  styles: Record<string, number>;
  seed: number;
}

export interface TSceneVocabulary {
  subject: readonly string[];
  colour: readonly string[];
  size: readonly string[];
  position: readonly string[];
  background: readonly string[];
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[randomInt(rng, list.length)]!;

/** `count` labelled prompts from `seed`; the same arguments always give the same list. */
export function sampleLabelledPrompts(seed: number, count: number, vocabulary: TSceneVocabulary, file: Pick<TDescriberFile, "phrases" | "excluded_pairs" | "style">): TLabelledPrompt[] {
  const rng = createRng(seed);
  const excluded = new Set(file.excluded_pairs.map(([colour, background]) => `${colour}|${background}`));
  const out: TLabelledPrompt[] = [];
  while (out.length < count) {
    const background = pick(rng, vocabulary.background);
    const colour = pick(rng, vocabulary.colour);
    const scene: TScene = { size: pick(rng, vocabulary.size), colour, subject: pick(rng, vocabulary.subject), position: pick(rng, vocabulary.position), background };
    const styles: Record<string, number> = {};
    const phrases: string[] = [];
    for (const axis of file.style.axes) {
      const u = rng();
      const cls = u < 0.5 ? 1 : u < 0.75 ? 0 : 2;
      styles[axis.id] = cls;
      if (cls !== 1) phrases.push(cls === 0 ? axis.negative : axis.positive);
    }
    const imageSeed = Math.floor(rng() * 2 ** 31);
    if (excluded.has(`${colour}|${background}`)) continue;
    out.push({ prompt: writePrompt(scene, file.phrases, phrases), scene, styles, seed: imageSeed });
  }
  return out;
}
