import { z } from "zod";
import { gcd } from "./aspect-ratio";
import { multiPromptParts } from "./multi-prompt";
import { STYLE_REFERENCE_LIMITS, ZStyleRef } from "./style-reference";
import { charCount, isCanonicalText, normaliseList } from "./text";

/**
 * Every bound the parser enforces, in one place. The schema below uses the same
 * numbers, so a recipe read back from Postgres is held to the rules it was
 * parsed under.
 */
export const PROMPT_LIMITS = {
  /** Code points of prompt text, after parameters are removed. */
  promptChars: 2000,
  /** Code points of the --no list. */
  negativeChars: 1000,
  /**
   * Raw input in UTF-16 units, checked before any work is done so a pasted
   * megabyte costs nothing. Well above the longest text formatPrompt can emit
   * (2000 + 1000 code points of at most two units each, plus parameters).
   */
  inputUnits: 10_000,
  /** Each side of --ar before reduction; keeps stored ratios small and exact. */
  aspectSide: 10_000,
  /** --ar must lie between 1:maxAspect and maxAspect:1. */
  maxAspect: 4,
  stylize: { min: 0, max: 1000, defaultValue: 100 },
  chaos: { min: 0, max: 100, defaultValue: 0 },
  seed: { min: 0, max: 4_294_967_295 },
  /** The hard cap; a plan's cap (parse option maxRepeat) can only lower it. */
  repeat: { min: 1, max: 40, defaultValue: 1 },
  personalizeCodes: 10,
  /**
   * `--p CODE::w` blend weights: hundredths from 0.01 to 100. A fixed
   * resolution keeps sums of repeated codes exact and lets every weight format
   * back to the text it was parsed from.
   */
  personalizeWeight: { min: 0.01, max: 100 },
  /** `--iw`: how much an image prompt counts, in hundredths like the blend weights. */
  imageWeight: { min: 0, max: 3, defaultValue: 1 },
  /** Ignored parameters one prompt may carry, and the length of each one's value. */
  ignoredParameters: 20,
  ignoredValueChars: 200,
} as const;

export const GENERATION_LIMITS = {
  /** `--q`: denoising steps as a multiple of the model's preset, and so GPU time. */
  quality: { values: [0.25, 0.5, 1, 2, 4], defaultValue: 1 },
  /** `--stop`: the percentage of the steps that run before the partial result is decoded. */
  stop: { min: 10, max: 100, defaultValue: 100 },
  weird: { min: 0, max: 3000, defaultValue: 0 },
  exp: { min: 0, max: 100, defaultValue: 0 },
} as const;

/** `v7`, `v6.1`, `niji`, `niji6`: the model alias a prompt asks for. */
export const MODEL_ALIAS = /^(?:v[0-9]{1,2}(?:\.[0-9])?|niji(?:[0-9]{1,2})?)$/;

export const PERSONALIZE_CODE = /^[a-z0-9]{1,32}$/;
export const SPEED_MODES = ["turbo", "fast", "relax"] as const;
export const MODEL_VERSION = "7";

const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

const ZPromptText = z
  .string()
  .refine((text) => isCanonicalText(text), { error: "must be normalised text (NFC, single spaces, trimmed) with no control characters or --parameters" })
  .refine((text) => charCount(text) >= 1 && charCount(text) <= PROMPT_LIMITS.promptChars, {
    error: `must be 1 to ${PROMPT_LIMITS.promptChars} characters`,
  })
  .refine((text) => multiPromptParts(text).ok, { error: "multi-prompt weights must be in range and add up to more than 0" });

const ZNegativePrompt = z
  .string()
  .refine((text) => isCanonicalText(text) && normaliseList(text) === text, { error: 'must be a normalised comma-separated list ("a, b")' })
  .refine((text) => charCount(text) >= 1 && charCount(text) <= PROMPT_LIMITS.negativeChars, {
    error: `must be 1 to ${PROMPT_LIMITS.negativeChars} characters`,
  });

const ZAspectRatio = z
  .object({
    width: wholeNumber(1, PROMPT_LIMITS.aspectSide),
    height: wholeNumber(1, PROMPT_LIMITS.aspectSide),
  })
  .refine(({ width, height }) => gcd(width, height) === 1, { error: "must be reduced (16:9, not 32:18)" })
  .refine(({ width, height }) => width <= PROMPT_LIMITS.maxAspect * height && height <= PROMPT_LIMITS.maxAspect * width, {
    error: `must be between 1:${PROMPT_LIMITS.maxAspect} and ${PROMPT_LIMITS.maxAspect}:1`,
  });

/** True for an `--iw` value the parser can produce: hundredths from 0 to 3. */
export function isImageWeight(weight: number): boolean {
  return Math.round(weight * 100) / 100 === weight && weight >= PROMPT_LIMITS.imageWeight.min && weight <= PROMPT_LIMITS.imageWeight.max;
}

/** True for a weight the parser can produce: a whole number of hundredths in range. */
export function isPersonalizeWeight(weight: number): boolean {
  const hundredths = Math.round(weight * 100);
  return hundredths / 100 === weight && weight >= PROMPT_LIMITS.personalizeWeight.min && weight <= PROMPT_LIMITS.personalizeWeight.max;
}

const ZPersonalize = z
  .object({
    enabled: z.boolean(),
    codes: z.array(z.string().regex(PERSONALIZE_CODE)).max(PROMPT_LIMITS.personalizeCodes),
    /**
     * Blend weights, one per code (`--p a::2 b::1`). Absent for an equal blend:
     * the blend is a weighted mean, so equal weights of any size mean the same
     * profile, and one canonical form keeps equal recipes equal.
     */
    weights: z.array(z.number().refine(isPersonalizeWeight, { error: "must be 0.01 to 100 in hundredths" })).optional(),
  })
  .refine(({ codes }) => new Set(codes).size === codes.length, { error: "codes must not repeat" })
  .refine(({ enabled, codes }) => enabled || codes.length === 0, { error: "codes need enabled: true" })
  .refine(({ codes, weights }) => weights === undefined || (weights.length === codes.length && weights.some((weight) => weight !== weights[0])), {
    error: "weights need one per code and must not all be equal (an equal blend has none)",
  });

/**
 * The normalised recipe: what jobs store, what "use prompt" restores, and what
 * formatPrompt turns back into text. Only canonical values pass (reduced ratio,
 * normalised text, ...), so two prompts that mean the same thing store the same
 * recipe and parsePrompt(formatPrompt(r)) deep-equals r.
 */
export const ZPromptRecipe = z
  .object({
    prompt: ZPromptText.meta({ description: "Prompt text without parameters" }),
    negativePrompt: ZNegativePrompt.nullable().meta({ description: "From --no: things to leave out, comma-separated" }),
    aspectRatio: ZAspectRatio.meta({ description: "From --ar, reduced; 1:1 by default" }),
    stylize: wholeNumber(PROMPT_LIMITS.stylize.min, PROMPT_LIMITS.stylize.max),
    chaos: wholeNumber(PROMPT_LIMITS.chaos.min, PROMPT_LIMITS.chaos.max),
    seed: wholeNumber(PROMPT_LIMITS.seed.min, PROMPT_LIMITS.seed.max).nullable().meta({ description: "null = a random seed per job" }),
    repeat: wholeNumber(PROMPT_LIMITS.repeat.min, PROMPT_LIMITS.repeat.max),
    draft: z.boolean(),
    personalize: ZPersonalize.meta({ description: "From --p: enabled with no codes = the user's default profile" }),
    raw: z.boolean(),
    // Recipes stored before --iw existed have no weight: they read as the default.
    imageWeight: z
      .number()
      .refine(isImageWeight, { error: "must be 0 to 3 in hundredths" })
      .default(PROMPT_LIMITS.imageWeight.defaultValue)
      .meta({ description: "From --iw: how much the job's image prompt counts (1 by default)" }),
    // Recipes stored before style references were read have none.
    styleRefs: z
      .array(ZStyleRef)
      .max(STYLE_REFERENCE_LIMITS.refs)
      .refine((refs) => new Set(refs.map((ref) => ref.value)).size === refs.length, { error: "references must not repeat" })
      .default([])
      .meta({ description: "From --sref: style references (image or upload id, https URL, style code, random), each with its blend weight; resolved when the job is created" }),
    styleWeight: wholeNumber(STYLE_REFERENCE_LIMITS.styleWeight.min, STYLE_REFERENCE_LIMITS.styleWeight.max)
      .default(STYLE_REFERENCE_LIMITS.styleWeight.defaultValue)
      .meta({ description: "From --sw: how strongly the style references apply (100 by default)" }),
    styleVersion: wholeNumber(STYLE_REFERENCE_LIMITS.styleVersion.min, STYLE_REFERENCE_LIMITS.styleVersion.max)
      .nullable()
      .default(null)
      .meta({ description: "From --sv: the style-reference version; null = the current one" }),
    // Recipes stored before these parameters were applied read as their defaults.
    quality: z
      .number()
      .refine((value) => (GENERATION_LIMITS.quality.values as readonly number[]).includes(value), { error: "must be .25, .5, 1, 2 or 4" })
      .default(GENERATION_LIMITS.quality.defaultValue)
      .meta({ description: "From --q: denoising steps as a multiple of the model's preset (and so GPU time)" }),
    stop: wholeNumber(GENERATION_LIMITS.stop.min, GENERATION_LIMITS.stop.max)
      .default(GENERATION_LIMITS.stop.defaultValue)
      .meta({ description: "From --stop: percentage of the steps run before the partial result is decoded" }),
    tile: z.boolean().default(false).meta({ description: "From --tile: a seamless tile that wraps at its edges" }),
    weird: wholeNumber(GENERATION_LIMITS.weird.min, GENERATION_LIMITS.weird.max)
      .default(GENERATION_LIMITS.weird.defaultValue)
      .meta({ description: "From --weird: strength of seeded unusual style directions" }),
    exp: wholeNumber(GENERATION_LIMITS.exp.min, GENERATION_LIMITS.exp.max)
      .default(GENERATION_LIMITS.exp.defaultValue)
      .meta({ description: "From --exp: strength of the house style and detail" }),
    modelAlias: z
      .string()
      .regex(MODEL_ALIAS)
      .nullable()
      .default(null)
      .meta({ description: "From --v N (vN) or --niji [N] (niji, nijiN): the model alias asked for; null = the chosen model" }),
    mode: z.enum(SPEED_MODES).nullable().meta({ description: "null = the user's default speed" }),
    /** Mirage's recipe version; the model a prompt asks for is `modelAlias`. */
    version: z.literal(MODEL_VERSION),
    // Recipes stored before ignored parameters were listed have none.
    ignored: z
      .array(
        z.object({
          name: z.string().regex(/^--[a-z][a-z0-9]*$/),
          value: z.string().refine((text) => text === "" || (isCanonicalText(text) && charCount(text) <= PROMPT_LIMITS.ignoredValueChars), {
            error: `must be normalised text of at most ${PROMPT_LIMITS.ignoredValueChars} characters with no --parameters`,
          }),
          reason: z.string().min(1),
        }),
      )
      .max(PROMPT_LIMITS.ignoredParameters)
      .default([])
      .meta({ description: "Parameters in the prompt that Mirage does not apply (Midjourney video options, parameters it does not know), each with the reason; the job runs without them" }),
  })
  .meta({ id: "PromptRecipe" });

export type TPromptRecipe = z.infer<typeof ZPromptRecipe>;

/** Everything in a recipe except the text: what parameters set. */
export type TPromptSettings = Omit<TPromptRecipe, "prompt">;

/** A fresh object each call: recipes are handed out and must not share nested objects. */
export function defaultSettings(): TPromptSettings {
  return {
    negativePrompt: null,
    aspectRatio: { width: 1, height: 1 },
    stylize: PROMPT_LIMITS.stylize.defaultValue,
    chaos: PROMPT_LIMITS.chaos.defaultValue,
    seed: null,
    repeat: PROMPT_LIMITS.repeat.defaultValue,
    draft: false,
    personalize: { enabled: false, codes: [] },
    raw: false,
    imageWeight: PROMPT_LIMITS.imageWeight.defaultValue,
    styleRefs: [],
    styleWeight: STYLE_REFERENCE_LIMITS.styleWeight.defaultValue,
    styleVersion: null,
    quality: GENERATION_LIMITS.quality.defaultValue,
    stop: GENERATION_LIMITS.stop.defaultValue,
    tile: false,
    weird: GENERATION_LIMITS.weird.defaultValue,
    exp: GENERATION_LIMITS.exp.defaultValue,
    modelAlias: null,
    mode: null,
    version: MODEL_VERSION,
    ignored: [],
  };
}
