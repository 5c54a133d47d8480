import type { TModelManifest } from "./manifest";

/**
 * What a small-vocabulary model knows, as the phrases a prompt should use
 * (docs/ui.md, "What the model knows"): the imagine bar offers them so that
 * a first prompt works. Read from the model's mirage.json: the Draft tables
 * (`draft`, which carry the canonical phrasing, e.g. "on the left", "under a
 * sunset sky") over the training vocabulary (`vocabulary`, bare words), and
 * the style axes' two poles ("muted colours" / "vivid colours"). Browser-safe:
 * plain data, no zod.
 */
export interface TModelWords {
  sizes: string[];
  colours: string[];
  subjects: string[];
  positions: string[];
  backgrounds: string[];
  styles: string[];
}

export const MODEL_WORD_GROUPS = [
  ["sizes", "Sizes"],
  ["colours", "Colours"],
  ["subjects", "Subjects"],
  ["positions", "Positions"],
  ["backgrounds", "Backgrounds"],
  ["styles", "Styles"],
] as const satisfies ReadonlyArray<readonly [keyof TModelWords, string]>;

/** The model's words, or null when its manifest lists no subjects (a general model: anything goes). */
export function modelWords(manifest: TModelManifest | undefined): TModelWords | null {
  const draft = manifest?.draft;
  const trained = manifest?.vocabulary;
  const subjects = draft?.subjects ?? trained?.subjects ?? [];
  if (subjects.length === 0) return null;
  const unique = (values: string[]) => [...new Set(values)];
  return {
    sizes: unique(draft?.sizes?.map((size) => size.value) ?? trained?.sizes ?? []),
    // The training palette: the Draft table also lists the synonyms it understands ("gray", "golden").
    colours: unique(trained?.colours ?? draft?.colours ?? []),
    subjects: unique(subjects),
    positions: unique(draft?.positions?.map((position) => position.phrase) ?? trained?.positions ?? []),
    backgrounds: unique(draft?.backgrounds?.map((background) => background.phrase) ?? trained?.backgrounds ?? []),
    styles: unique((manifest?.style_axes ?? []).flatMap((axis) => [axis.negative, axis.positive])),
  };
}

/** Where a group's phrase joins a prompt: after a comma for the scene and style, else with a space. */
const AFTER_COMMA = new Set<keyof TModelWords>(["backgrounds", "styles"]);
/** Words that start a description: an empty prompt gets "a" before them. */
const STARTS_A_THING = new Set<keyof TModelWords>(["sizes", "colours", "subjects"]);

/**
 * The prompt with a known phrase added to its description, before any
 * `--parameters`: "a red circle" + "on the left" → "a red circle on the left".
 */
export function addModelWord(prompt: string, group: keyof TModelWords, phrase: string): string {
  const parameters = prompt.search(/(^|\s)(--|—)[a-z]/i);
  const prose = (parameters === -1 ? prompt : prompt.slice(0, parameters)).trim();
  const rest = parameters === -1 ? "" : prompt.slice(parameters).trim();
  const joined = prose === "" ? (STARTS_A_THING.has(group) ? `a ${phrase}` : phrase) : `${prose.replace(/,$/, "")}${AFTER_COMMA.has(group) ? ", " : " "}${phrase}`;
  return rest ? `${joined} ${rest}` : joined;
}
