// What a parameter is, and builders for the two common shapes (a whole number
// in a range, a flag). The vocabulary itself lives in parameters.ts.

import type { TPromptRecipe, TPromptSettings } from "./recipe";
import { shown } from "./text";

/** The recipe field a parameter sets. */
export type TSlot = keyof TPromptSettings;

export type TReadContext = {
  /** The name as the user wrote it, lower-cased, with `--` (e.g. "--s"), so messages echo their own spelling. */
  spelling: string;
  /** The effective --repeat cap: the plan's, never above the hard cap. */
  maxRepeat: number;
};

export type TReadResult = { ok: true; patch: Partial<TPromptSettings> } | { ok: false; message: string };

export type TParameterSpec = {
  /** Canonical spelling with dashes; formatPrompt writes this one. */
  name: string;
  aliases: string[];
  /** What the value looks like, for hints ("0–1000", "W:H", "no value"). */
  takes: string;
  description: string;
  example: string;
  /** Two parameters with the same slot cannot both appear in a prompt. */
  slot: TSlot;
  /** Set when parameters sharing this slot contradict each other (speed modes) rather than repeat it. */
  conflictLabel?: string;
  /** `value` is the trimmed text up to the next parameter, "" when there is none. */
  read(value: string, context: TReadContext): TReadResult;
  /** The parameter as canonical text, or null when the recipe holds the default. */
  format(recipe: TPromptRecipe): string | null;
};

export const ok = (patch: Partial<TPromptSettings>): TReadResult => ({ ok: true, patch });
export const fail = (message: string): TReadResult => ({ ok: false, message });

/** Plain decimal digits only: rejects "", "-1", "+1", "2.5", "1e3", "0x10", "NaN", "Infinity", full-width digits. */
export function wholeNumber(value: string): number | null {
  // Number() of a digit string never throws and is never NaN; a value too long
  // to be exact (or Infinity) is still correctly "larger than max".
  return /^[0-9]+$/.test(value) ? Number(value) : null;
}

type TNumberSlot = { [K in TSlot]: TPromptSettings[K] extends number | null ? K : never }[TSlot];

export function numberParameter(spec: {
  name: string;
  aliases: string[];
  field: TNumberSlot;
  min: number;
  max: number;
  /** The value formatPrompt leaves out. */
  defaultValue: number | null;
  /** A per-request cap below `max` (the plan's --repeat limit), and how to say so. */
  cap?: { of: (context: TReadContext) => number; note: string };
  description: string;
  example: string;
}): TParameterSpec {
  const { name, field, min } = spec;
  return {
    name,
    aliases: spec.aliases,
    takes: `${min}–${spec.max}`,
    description: spec.description,
    example: spec.example,
    slot: field,
    read(value, context) {
      const max = Math.min(spec.max, spec.cap?.of(context) ?? spec.max);
      const note = max < spec.max && spec.cap ? ` ${spec.cap.note}` : "";
      const range = `a whole number from ${min} to ${max}${note}`;
      if (value === "") return fail(`${context.spelling} needs a value: ${range}.`);
      const number = wholeNumber(value);
      if (number === null || number < min || number > max) return fail(`${context.spelling} must be ${range} (got ${shown(value)}).`);
      const patch: Partial<TPromptSettings> = {};
      patch[field] = number;
      return ok(patch);
    },
    format(recipe) {
      const value = recipe[field];
      return value === null || value === spec.defaultValue ? null : `${name} ${value}`;
    },
  };
}

export function flagParameter(spec: {
  name: string;
  slot: TSlot;
  conflictLabel?: string;
  description: string;
  patch: Partial<TPromptSettings>;
  isSet: (recipe: TPromptRecipe) => boolean;
}): TParameterSpec {
  return {
    name: spec.name,
    aliases: [],
    takes: "no value",
    description: spec.description,
    example: spec.name,
    slot: spec.slot,
    conflictLabel: spec.conflictLabel,
    read(value, context) {
      // The usual cause is prompt text typed after a parameter: everything up to
      // the next parameter belongs to it, so say where the text should go.
      if (value !== "") return fail(`${context.spelling} takes no value (got ${shown(value)}). Put the prompt text before the parameters.`);
      return ok({ ...spec.patch });
    },
    format: (recipe) => (spec.isSet(recipe) ? spec.name : null),
  };
}
