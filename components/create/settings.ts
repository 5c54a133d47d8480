import { expandPermutations, formatPrompt, parsePrompt, PROMPT_PARAMETERS, type TPromptRecipe } from "@/lib/prompt";

/** What the settings panel controls; each maps to one prompt parameter. */
export interface CreateSettings {
  aspect: string;
  stylize: number;
  chaos: number;
  mode: "turbo" | "fast" | "relax";
  draft: boolean;
  /** null = the studio's default model. */
  model: string | null;
  /** Remix: Vary and the Editor's moves open a prompt field first (docs/editor.md §8). */
  remix: boolean;
}

export const ASPECT_CHOICES = ["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"] as const;
export const DEFAULT_SETTINGS: CreateSettings = { aspect: "1:1", stylize: 100, chaos: 0, mode: "fast", draft: false, model: null, remix: false };

/**
 * The prompt that is sent: the typed text with the panel's settings applied
 * wherever the text does not set that parameter itself (typed parameters win,
 * as in Midjourney's web app). Returns the parse error when the text is invalid.
 * Permutations (`{red, blue} bird`) are checked and composed one by one and
 * sent as one group of the composed prompts, so the server makes exactly them.
 */
export function composePrompt(text: string, settings: CreateSettings): { ok: true; prompt: string; recipe: TPromptRecipe; jobs: number } | { ok: false; message: string } {
  const expansion = expandPermutations(text);
  if (!expansion.ok) return { ok: false, message: expansion.message };
  const composed = [];
  for (const variant of expansion.prompts) {
    const one = composeOne(variant, settings);
    if (!one.ok) return expansion.prompts.length > 1 ? { ok: false, message: `In "${variant}": ${one.message}` } : one;
    composed.push(one);
  }
  const [first] = composed;
  if (!first) return { ok: false, message: "The prompt is empty." };
  const jobs = composed.reduce((sum, one) => sum + one.recipe.repeat, 0);
  if (composed.length === 1) return { ...first, jobs };
  // Commas and braces inside a composed prompt (a --no list) are escaped so the group splits only between prompts.
  const group = composed.map((one) => one.prompt.replace(/[{},]/g, (char) => "\\" + char)).join(", ");
  return { ok: true, prompt: `{${group}}`, recipe: first.recipe, jobs };
}

/** Canonical names (`--ar`, `--stylize`…) of the parameters written in `text`, aliases resolved. */
export function typedParameters(text: string): Set<string> {
  const canonical = new Map(PROMPT_PARAMETERS.flatMap((spec) => [spec.name, ...spec.aliases].map((name) => [name.slice(2).toLowerCase(), spec.name] as const)));
  const typed = new Set<string>();
  for (const match of text.matchAll(/(?:^|[\s,])(?:--|—)([a-z][\w-]*)/gi)) {
    const name = canonical.get((match[1] ?? "").toLowerCase());
    if (name) typed.add(name);
  }
  return typed;
}

function composeOne(text: string, settings: CreateSettings): { ok: true; prompt: string; recipe: TPromptRecipe } | { ok: false; message: string } {
  const parsed = parsePrompt(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const recipe = { ...parsed.recipe };
  // A parameter written in the text wins, even when it equals the default (a typed `--ar 1:1` beats the panel's 16:9).
  const typed = typedParameters(text);
  const [w, h] = settings.aspect.split(":").map(Number);
  if (!typed.has("--ar") && w && h) recipe.aspectRatio = { width: w, height: h };
  if (!typed.has("--stylize")) recipe.stylize = settings.stylize;
  if (!typed.has("--chaos")) recipe.chaos = settings.chaos;
  if (recipe.mode === null && !typed.has("--turbo") && !typed.has("--fast") && !typed.has("--relax") && settings.mode !== DEFAULT_SETTINGS.mode) recipe.mode = settings.mode;
  if (!typed.has("--draft") && !recipe.draft) recipe.draft = settings.draft;
  const prompt = formatPrompt(recipe);
  const reparsed = parsePrompt(prompt);
  return reparsed.ok ? { ok: true, prompt, recipe: reparsed.recipe } : { ok: false, message: reparsed.error.message };
}
