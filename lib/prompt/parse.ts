import { multiPromptParts } from "./multi-prompt";
import { findParameter, IGNORED_REASONS, KNOWN_NAMES, PARAMETER_SPECS, UNKNOWN_REASON } from "./parameters";
import { defaultSettings, PROMPT_LIMITS, type TPromptRecipe } from "./recipe";
import type { TParameterSpec, TSlot } from "./spec";
import { suggestName } from "./suggest";
import { charCount, codePointLabel, findForbiddenCharacter, normaliseText, shown, type TForbiddenCharacter } from "./text";
import { tokenize } from "./tokenize";

/** `parameter` is the canonical name ("--chaos"), or the unknown name as typed, or null for the prompt text itself. */
export type TPromptError = { parameter: string | null; message: string };

export type TParseOptions = {
  /** The user's plan cap for --repeat; values above the hard cap of 40 are ignored. */
  maxRepeat?: number;
};

type TSeen = { spec: TParameterSpec; spelling: string };

export type TParseResult = { ok: true; recipe: TPromptRecipe } | { ok: false; error: TPromptError };

/** Only ever seen if the parser has a bug; the property tests assert it never appears. */
export const INTERNAL_ERROR_MESSAGE = "The prompt could not be read because of an internal error. Please report it.";

/**
 * Parses Midjourney-style prompt text into a normalised recipe. Never throws:
 * the Create page calls it on every keystroke for inline errors, and the API
 * turns an error into a 400 whose message names the parameter and its range.
 */
export function parsePrompt(input: string, options?: TParseOptions): TParseResult {
  try {
    return parse(input, options);
  } catch {
    // Belt and braces for the never-throw contract; see INTERNAL_ERROR_MESSAGE.
    return failure(null, INTERNAL_ERROR_MESSAGE);
  }
}

function parse(input: unknown, options: TParseOptions | undefined): TParseResult {
  // Callers outside TypeScript (a JSON body) could hand us anything.
  if (typeof input !== "string") return failure(null, "The prompt must be text.");
  if (input.length > PROMPT_LIMITS.inputUnits) {
    return failure(null, `The prompt is too long: at most ${PROMPT_LIMITS.inputUnits} characters including parameters (got ${input.length}).`);
  }
  const forbidden = findForbiddenCharacter(input);
  if (forbidden) return failure(null, describeForbidden(forbidden));

  const { prompt, parameters } = tokenize(normaliseText(input));

  // Left to right: the prompt text comes first, so its problems are reported first.
  if (prompt === "") return failure(null, "The prompt is empty: describe the image first, then add any --parameters after it.");
  const length = charCount(prompt);
  if (length > PROMPT_LIMITS.promptChars) {
    return failure(null, `The prompt is too long: at most ${PROMPT_LIMITS.promptChars} characters before the parameters (got ${length}).`);
  }

  const maxRepeat = repeatCap(options?.maxRepeat);
  const settings = defaultSettings();
  const seen = new Map<TSlot, TSeen>();
  for (const { name, value } of parameters) {
    const spelling = `--${name}`;
    const spec = findParameter(name);
    if (!spec) {
      const reason = ignoredReason(name);
      // Shortened: an unknown "name" can be a whole pasted paragraph without spaces.
      if (reason === null) return failure(shown(spelling), unknownMessage(shown(spelling)));
      if (settings.ignored.length >= PROMPT_LIMITS.ignoredParameters) {
        return failure(spelling, `Too many parameters Mirage does not apply: at most ${PROMPT_LIMITS.ignoredParameters}.`);
      }
      if (charCount(value) > PROMPT_LIMITS.ignoredValueChars) {
        return failure(spelling, `${spelling} is not applied by Mirage, and its value is too long to keep: at most ${PROMPT_LIMITS.ignoredValueChars} characters.`);
      }
      settings.ignored.push({ name: spelling, value, reason });
      continue;
    }

    const earlier = seen.get(spec.slot);
    if (earlier) return failure(spec.name, repeatedMessage(earlier, { spec, spelling }));
    seen.set(spec.slot, { spec, spelling });

    const read = spec.read(value, { spelling, maxRepeat });
    if (!read.ok) return failure(spec.name, read.message);
    Object.assign(settings, read.patch);
  }
  // Weights are checked once --no is known: in a multi-prompt it counts as ::-0.5.
  const multi = multiPromptParts(prompt, settings.negativePrompt);
  if (!multi.ok) return failure(null, multi.message);
  return { ok: true, recipe: { prompt, ...settings } };
}

function failure(parameter: string | null, message: string): TParseResult {
  return { ok: false, error: { parameter, message } };
}

/** A plan cap that is missing or nonsensical falls back to the hard cap rather than failing the parse. */
function repeatCap(planCap: unknown): number {
  const { min, max } = PROMPT_LIMITS.repeat;
  if (typeof planCap !== "number" || !Number.isFinite(planCap)) return max;
  return Math.min(max, Math.max(min, Math.floor(planCap)));
}

function describeForbidden({ kind, codePoint, position }: TForbiddenCharacter): string {
  const what = kind === "control" ? "a control character" : "a broken character (an unpaired UTF-16 surrogate)";
  return `The prompt contains ${what} (${codePointLabel(codePoint)}) at position ${position}. Remove it; only letters, symbols, spaces and line breaks are allowed.`;
}

/**
 * Why a parameter Mirage has no reader for is left out, or null when it is an
 * error: a known Midjourney parameter, or a plain word that is no near miss of
 * one of ours, runs without it; a likely typo (--stylise) or a value glued to a
 * name (--ar16:9) is a 400 that says what was meant.
 */
function ignoredReason(name: string): string | null {
  const known = IGNORED_REASONS.get(name);
  if (known) return known;
  if (!/^[a-z][a-z0-9]{0,19}$/.test(name) || /[0-9]/.test(name) || suggestName(name, KNOWN_NAMES) !== null) return null;
  return UNKNOWN_REASON;
}

function unknownMessage(spelling: string): string {
  const name = spelling.slice(2);
  const guess = suggestName(name, KNOWN_NAMES);
  if (guess !== null) return `Unknown parameter ${spelling}. Did you mean --${guess}?`;
  const names = PARAMETER_SPECS.map((spec) => spec.name);
  return `Unknown parameter ${spelling}. Mirage understands ${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}.`;
}

function repeatedMessage(earlier: TSeen, later: TSeen): string {
  // Different parameters for one slot: either a contradiction (two speed modes)
  // or two spellings of the same thing (--raw and --style raw).
  if (earlier.spec !== later.spec && later.spec.conflictLabel !== undefined) {
    return `${earlier.spelling} and ${later.spelling} conflict: choose one ${later.spec.conflictLabel}.`;
  }
  if (earlier.spec !== later.spec) return `${earlier.spelling} and ${later.spelling} mean the same thing: give only one.`;
  if (earlier.spelling === later.spelling) return `${later.spelling} given twice.`;
  return `${later.spec.name} given twice (as ${earlier.spelling} and ${later.spelling}).`;
}
