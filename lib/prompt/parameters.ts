// The parameter vocabulary as one table. Each entry knows how to read its value
// (validation + normalisation into a recipe patch) and how to write itself back
// (formatPrompt), so parsing and formatting cannot drift apart. Table order is
// the canonical order formatPrompt emits and the order the UI lists hints in.

import { reduceRatio } from "./aspect-ratio";
import { GENERATION_PARAMETERS } from "./generation-parameters";
import { PERSONALIZE_CODE, PROMPT_LIMITS } from "./recipe";
import { STYLE_REFERENCE_LIMITS, styleReferenceParameter } from "./style-reference";
import { fail, flagParameter, numberParameter, ok, type TParameterSpec } from "./spec";
import { charCount, normaliseList, shown } from "./text";

const aspectRatio: TParameterSpec = {
  name: "--ar",
  aliases: ["--aspect"],
  takes: `W:H, from 1:${PROMPT_LIMITS.maxAspect} to ${PROMPT_LIMITS.maxAspect}:1`,
  description: "Aspect ratio of the images. Default 1:1.",
  example: "--ar 16:9",
  slot: "aspectRatio",
  read(value, { spelling }) {
    const allowed = `W:H with whole numbers from 1 to ${PROMPT_LIMITS.aspectSide} and a ratio from 1:${PROMPT_LIMITS.maxAspect} to ${PROMPT_LIMITS.maxAspect}:1, e.g. 16:9`;
    if (value === "") return fail(`${spelling} needs a value: ${allowed}.`);
    const match = /^([0-9]+) ?: ?([0-9]+)$/.exec(value);
    const width = Number(match?.[1]);
    const height = Number(match?.[2]);
    const sideOk = (side: number) => Number.isInteger(side) && side >= 1 && side <= PROMPT_LIMITS.aspectSide;
    if (!match || !sideOk(width) || !sideOk(height)) return fail(`${spelling} must be ${allowed} (got ${shown(value)}).`);
    if (width > PROMPT_LIMITS.maxAspect * height || height > PROMPT_LIMITS.maxAspect * width) {
      return fail(`${spelling} ${width}:${height} is too extreme: the ratio must be from 1:${PROMPT_LIMITS.maxAspect} to ${PROMPT_LIMITS.maxAspect}:1.`);
    }
    return ok({ aspectRatio: reduceRatio(width, height) });
  },
  format: ({ aspectRatio: { width, height } }) => (width === 1 && height === 1 ? null : `--ar ${width}:${height}`),
};

const negative: TParameterSpec = {
  name: "--no",
  aliases: [],
  takes: "words or phrases, comma-separated",
  description: "Things to keep out of the images.",
  example: "--no clouds, trees",
  slot: "negativePrompt",
  read(value, { spelling }) {
    const list = normaliseList(value);
    if (list === "") return fail(`${spelling} needs a value: words or phrases to leave out, comma-separated, e.g. --no clouds, trees.`);
    const length = charCount(list);
    if (length > PROMPT_LIMITS.negativeChars) return fail(`${spelling} is too long: at most ${PROMPT_LIMITS.negativeChars} characters (got ${length}).`);
    return ok({ negativePrompt: list });
  },
  format: ({ negativePrompt }) => (negativePrompt === null ? null : `--no ${negativePrompt}`),
};

const personalize: TParameterSpec = {
  name: "--p",
  aliases: ["--personalize"],
  takes: "optional profile codes, space- or comma-separated, each optionally weighted CODE::w",
  description: "Personalization: alone, your default profile; with codes, those profiles blended (CODE::2 counts twice).",
  example: "--p abc123::2 def456",
  slot: "personalize",
  read(value, { spelling }) {
    // Codes are case-insensitive (Mirage issues lower-case ones). A repeated code
    // adds nothing and is dropped, unless it states a different weight: then
    // which one was meant is unclear, and the prompt is rejected.
    const words = value.split(/[\s,]+/).filter((word) => word !== "");
    if (value !== "" && words.length === 0) return fail(`${spelling} codes are 1–32 letters a–z and digits, separated by spaces or commas (got ${shown(value)}).`);
    const { min, max } = PROMPT_LIMITS.personalizeWeight;
    // Weights in hundredths (integers, so equality is exact); null = none stated (1).
    const hundredths = new Map<string, number | null>();
    for (const word of words) {
      const [codeText, ...weightText] = word.split("::");
      const code = codeText!.toLowerCase();
      if (!PERSONALIZE_CODE.test(code)) return fail(`${spelling} codes are 1–32 letters a–z and digits, separated by spaces or commas (got ${shown(word)}).`);
      let weight: number | null = null;
      if (weightText.length > 0) {
        const text = weightText.join("::");
        if (text === "") return fail(`${spelling} weight of ${code} is missing after "::", e.g. ${code}::2.`);
        weight = /^(?:[0-9]{1,3}(?:\.[0-9]{1,2})?|\.[0-9]{1,2})$/.test(text) ? Math.round(Number(text) * 100) : Number.NaN;
        if (!(weight >= min * 100 && weight <= max * 100)) {
          return fail(`${spelling} weight of ${code} must be a number from ${min} to ${max} with at most two decimals, e.g. ${code}::2 (got ${shown(text)}).`);
        }
      }
      const earlier = hundredths.get(code);
      if (earlier === undefined) hundredths.set(code, weight);
      else if (weight !== null && earlier !== null && weight !== earlier) {
        return fail(`${spelling} gives ${code} twice with different weights (${earlier / 100} and ${weight / 100}); give it once.`);
      } else if (earlier === null) hundredths.set(code, weight);
    }
    const codes = [...hundredths.keys()];
    if (codes.length > PROMPT_LIMITS.personalizeCodes) {
      return fail(`${spelling} takes at most ${PROMPT_LIMITS.personalizeCodes} profile codes (got ${codes.length}).`);
    }
    const weights = [...hundredths.values()].map((weight) => (weight ?? 100) / 100);
    // Equal weights are an equal blend: recorded without weights (one canonical recipe).
    const weighted = weights.some((weight) => weight !== weights[0]);
    return ok({ personalize: { enabled: true, codes, ...(weighted && { weights }) } });
  },
  format: ({ personalize: { enabled, codes, weights } }) =>
    enabled ? ["--p", ...codes.map((code, i) => (weights ? `${code}::${weights[i]}` : code))].join(" ") : null,
};

const imageWeight: TParameterSpec = {
  name: "--iw",
  aliases: [],
  takes: `${PROMPT_LIMITS.imageWeight.min}–${PROMPT_LIMITS.imageWeight.max}`,
  description: "How much the image prompt counts: 0 barely, 3 the most. Default 1. Needs an image prompt.",
  example: "--iw 2",
  slot: "imageWeight",
  read(value, { spelling }) {
    const { min, max } = PROMPT_LIMITS.imageWeight;
    const range = `a number from ${min} to ${max} with at most two decimals, e.g. --iw 1.5`;
    if (value === "") return fail(`${spelling} needs a value: ${range}.`);
    // Hundredths, like the --p weights, so every value formats back to the text it came from.
    const weight = /^(?:[0-9](?:\.[0-9]{1,2})?|\.[0-9]{1,2})$/.test(value) ? Math.round(Number(value) * 100) / 100 : Number.NaN;
    if (!(weight >= min && weight <= max)) return fail(`${spelling} must be ${range} (got ${shown(value)}).`);
    return ok({ imageWeight: weight });
  },
  format: ({ imageWeight }) => (imageWeight === PROMPT_LIMITS.imageWeight.defaultValue ? null : `--iw ${imageWeight}`),
};

const style: TParameterSpec = {
  name: "--style",
  aliases: [],
  takes: "raw",
  description: "Same as --raw (the only style Mirage offers).",
  example: "--style raw",
  slot: "raw",
  read(value, { spelling }) {
    if (value === "") return fail(`${spelling} needs a value: raw.`);
    if (value.toLowerCase() !== "raw") return fail(`${spelling} must be raw, the only style Mirage offers (got ${shown(value)}).`);
    return ok({ raw: true });
  },
  // --raw writes the canonical form.
  format: () => null,
};

const SPEED = "speed mode (--turbo, --fast or --relax)";

/** The vocabulary, in canonical order. */
export const PARAMETER_SPECS: readonly TParameterSpec[] = [
  aspectRatio,
  numberParameter({
    name: "--stylize",
    aliases: ["--s"],
    field: "stylize",
    ...PROMPT_LIMITS.stylize,
    description: "Strength of the house style and of personalization. Default 100.",
    example: "--stylize 250",
  }),
  numberParameter({
    name: "--chaos",
    aliases: ["--c"],
    field: "chaos",
    ...PROMPT_LIMITS.chaos,
    description: "How different the four images are from each other. Default 0.",
    example: "--chaos 40",
  }),
  numberParameter({
    name: "--seed",
    aliases: [],
    field: "seed",
    ...PROMPT_LIMITS.seed,
    defaultValue: null,
    description: "Starting noise. The same prompt and seed give similar images. Random by default.",
    example: "--seed 42",
  }),
  numberParameter({
    name: "--repeat",
    aliases: ["--r"],
    field: "repeat",
    ...PROMPT_LIMITS.repeat,
    cap: { of: ({ maxRepeat }) => maxRepeat, note: "on your plan" },
    description: "Run the prompt as this many separate jobs. Default 1; your plan may allow fewer than 40.",
    example: "--repeat 4",
  }),
  personalize,
  imageWeight,
  styleReferenceParameter,
  numberParameter({
    name: "--sw",
    aliases: [],
    field: "styleWeight",
    ...STYLE_REFERENCE_LIMITS.styleWeight,
    description: "How strongly the --sref style applies: 0 barely, 1000 the most. Default 100.",
    example: "--sw 250",
  }),
  numberParameter({
    name: "--sv",
    aliases: [],
    field: "styleVersion",
    ...STYLE_REFERENCE_LIMITS.styleVersion,
    defaultValue: null,
    description: "Style-reference version: 4 reads style codes made before June 2025 as they looked then. Default the current one.",
    example: "--sv 4",
  }),
  flagParameter({
    name: "--raw",
    slot: "raw",
    description: "Turns off the default beautification for more literal images.",
    patch: { raw: true },
    isSet: ({ raw }) => raw,
  }),
  style,
  flagParameter({
    name: "--draft",
    slot: "draft",
    description: "Draft quality: much faster, half the GPU time. Enhance a draft later for full quality.",
    patch: { draft: true },
    isSet: ({ draft }) => draft,
  }),
  flagParameter({
    name: "--turbo",
    slot: "mode",
    conflictLabel: SPEED,
    description: "Turbo speed: up to 4× faster, twice the GPU time.",
    patch: { mode: "turbo" },
    isSet: ({ mode }) => mode === "turbo",
  }),
  flagParameter({
    name: "--fast",
    slot: "mode",
    conflictLabel: SPEED,
    description: "Fast speed: runs now on your GPU time.",
    patch: { mode: "fast" },
    isSet: ({ mode }) => mode === "fast",
  }),
  flagParameter({
    name: "--relax",
    slot: "mode",
    conflictLabel: SPEED,
    description: "Relax speed: costs no GPU time, waits for a free GPU.",
    patch: { mode: "relax" },
    isSet: ({ mode }) => mode === "relax",
  }),
  negative,
  ...GENERATION_PARAMETERS,
];

const BY_NAME = new Map<string, TParameterSpec>(PARAMETER_SPECS.flatMap((spec) => [spec.name, ...spec.aliases].map((name) => [name.slice(2), spec] as const)));

/** Looks up a bare, lower-cased name ("s", "stylize"). */
export function findParameter(name: string): TParameterSpec | undefined {
  return BY_NAME.get(name);
}

/** Every accepted bare name, aliases included, for "did you mean". */
export const KNOWN_NAMES: readonly string[] = [...BY_NAME.keys()];

/**
 * Midjourney parameters people paste that Mirage does not apply: the job runs
 * without them and the recipe lists each with the reason (rather than "unknown",
 * which would suggest a typo, or a refusal, which would make a pasted prompt fail).
 */
const NOT_YET = "not available in Mirage yet; the image is made without it";
const VIDEO = "Mirage makes still images; video options do not apply";
const OLD_MODELS = "an option of older Midjourney models; Mirage uses its own models";
export const IGNORED_REASONS: ReadonlyMap<string, string> = new Map([
  ...["oref", "ow", "cref", "cw"].map((name) => [name, NOT_YET] as const),
  ...["video", "motion", "loop", "end", "bs"].map((name) => [name, VIDEO] as const),
  ...["hd", "test", "testp", "uplight", "upbeta"].map((name) => [name, OLD_MODELS] as const),
]);

/** Why a parameter name Mirage does not know is left out (a newer Midjourney one, most likely). */
export const UNKNOWN_REASON = "not a parameter Mirage knows (perhaps a newer Midjourney one); the image is made without it";

/** The public view of the table: what the Create page needs for inline hints. */
export const PROMPT_PARAMETERS: ReadonlyArray<{ name: string; aliases: string[]; takes: string; description: string; example: string }> = Object.freeze(
  PARAMETER_SPECS.map(({ name, aliases, takes, description, example }) => Object.freeze({ name, aliases: [...aliases], takes, description, example })),
);
