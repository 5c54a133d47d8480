/**
 * From a classifier's beliefs about an image to four prompts in the model's
 * caption grammar (docs/describe.md §3). Pure: the worker and the tests call
 * it with probabilities; nothing here reads files or runs a model.
 */
import type { TDescriberFile } from "./describer-file";

/** The classifier heads a prompt is made of, in the order the caption writes them. */
export const SCENE_HEADS = ["size", "colour", "subject", "position", "background"] as const;
export type TSceneHead = (typeof SCENE_HEADS)[number];
export type TScene = Record<TSceneHead, string>;

/** One head's labels and their probabilities (same order). */
export interface THeadBelief {
  labels: readonly string[];
  probabilities: ArrayLike<number>;
}

export interface TCandidate {
  prompt: string;
  scene: TScene;
  /** Joint probability of the scene under the classifier (heads taken as independent). */
  probability: number;
}

/** Options per head that are tried; 3⁵ = 243 scenes is plenty for four distinct prompts. */
const OPTIONS_PER_HEAD = 3;
export const CANDIDATE_COUNT = 4;

export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

function topOptions(belief: THeadBelief): Array<{ label: string; probability: number }> {
  return belief.labels
    .map((label, index) => ({ label, probability: belief.probabilities[index] ?? 0 }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, OPTIONS_PER_HEAD);
}

/** "a" or "an" by the sound of the first letter (the grammar's words: "an orange", "a large"). */
const article = (word: string) => (/^[aeiou]/i.test(word) ? "an" : "a");

/** The caption grammar's single-object form: `a [size] [colour] subject [position], [background]{, style}`. */
export function writePrompt(scene: TScene, phrases: TDescriberFile["phrases"], styles: readonly string[]): string {
  const size = phrases.size[scene.size] ?? scene.size;
  const object = [size, scene.colour, scene.subject].filter(Boolean).join(" ");
  const position = phrases.position[scene.position] ?? scene.position;
  const background = phrases.background[scene.background] ?? scene.background;
  return [`${article(object)} ${object} ${position}`, background, ...styles].join(", ");
}

/**
 * The most probable distinct scenes, best first, written as prompts. Scenes
 * the model never draws (an excluded colour/background pair) are skipped.
 */
export function rankCandidates(beliefs: Record<TSceneHead, THeadBelief>, file: Pick<TDescriberFile, "phrases" | "excluded_pairs">, styles: readonly string[], count = CANDIDATE_COUNT): TCandidate[] {
  const excluded = new Set(file.excluded_pairs.map(([colour, background]) => `${colour}|${background}`));
  let scenes: Array<{ scene: Partial<TScene>; probability: number }> = [{ scene: {}, probability: 1 }];
  for (const head of SCENE_HEADS) {
    const options = topOptions(beliefs[head]);
    scenes = scenes.flatMap((partial) => options.map((option) => ({ scene: { ...partial.scene, [head]: option.label }, probability: partial.probability * option.probability })));
  }
  const ranked = scenes
    .map((entry) => ({ scene: entry.scene as TScene, probability: entry.probability }))
    .filter((entry) => !excluded.has(`${entry.scene.colour}|${entry.scene.background}`))
    .sort((a, b) => b.probability - a.probability);
  const seen = new Set<string>();
  const out: TCandidate[] = [];
  for (const entry of ranked) {
    const prompt = writePrompt(entry.scene, file.phrases, styles);
    if (seen.has(prompt)) continue;
    seen.add(prompt);
    out.push({ prompt, scene: entry.scene, probability: entry.probability });
    if (out.length === count) break;
  }
  return out;
}
