// `--sref`, `--sw` and `--sv`: style references as the parser reads them.
// Parsing only classifies and validates each reference; turning one into
// pixels or a style vector (and checking that an id belongs to the user) is
// the references module's job, at job creation. docs/prompt-language.md §3.

import { z } from "zod";
import { fail, ok, type TParameterSpec } from "./spec";
import { shown } from "./text";

export const STYLE_REFERENCE_LIMITS = {
  /** References one `--sref` may list. */
  refs: 10,
  /** `ref::w` blend weight, in hundredths like the `--p` weights. */
  weight: { min: 0.01, max: 100 },
  /** `--sw`: how strongly the references' style applies. */
  styleWeight: { min: 0, max: 1000, defaultValue: 100 },
  /** `--sv`: which style-reference algorithm; Midjourney V7 numbers them 1–6. */
  styleVersion: { min: 1, max: 6 },
  urlChars: 2000,
} as const;

/**
 * - `id`: one of the user's images or uploads (both are UUIDs; which one is
 *   decided when the reference is resolved).
 * - `url`: an https image address.
 * - `code`: a style code (digits), Midjourney's shareable number for a style.
 * - `random`: a fresh random style code, chosen when the job is created.
 */
export const STYLE_REF_KINDS = ["id", "url", "code", "random"] as const;
export type TStyleRefKind = (typeof STYLE_REF_KINDS)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CODE = /^[0-9]{1,20}$/;

function isHttpsUrl(value: string): boolean {
  if (value.length > STYLE_REFERENCE_LIMITS.urlChars || /\s/.test(value) || !URL.canParse(value)) return false;
  return new URL(value).protocol === "https:";
}

/** The kind of a reference as written (ids lower-cased first), or null when it is none of them. */
export function styleRefKind(value: string): TStyleRefKind | null {
  if (value === "random") return "random";
  if (CODE.test(value)) return "code";
  if (UUID.test(value)) return "id";
  if (isHttpsUrl(value)) return "url";
  return null;
}

function isStyleRefWeight(weight: number): boolean {
  const { min, max } = STYLE_REFERENCE_LIMITS.weight;
  return Math.round(weight * 100) / 100 === weight && weight >= min && weight <= max;
}

export const ZStyleRef = z
  .object({
    kind: z.enum(STYLE_REF_KINDS),
    value: z.string().min(1),
    /** Share of this reference in the blend; 1 unless written `ref::w`. */
    weight: z.number().refine(isStyleRefWeight, { error: "must be 0.01 to 100 in hundredths" }),
  })
  .refine(({ kind, value }) => styleRefKind(value) === kind, { error: "value must be a reference of its kind (lower-case UUID, https URL, digits or random)" });
export type TStyleRef = z.infer<typeof ZStyleRef>;

const REFERENCE_HELP = "your image or upload id, an https image URL, a style code (digits) or random";

function readRef(word: string, spelling: string): { ok: true; ref: TStyleRef } | { ok: false; message: string } {
  // The weight is the part after the last "::" (a URL may contain "::" itself,
  // a weight never does).
  const at = word.lastIndexOf("::");
  const text = at === -1 ? word : word.slice(0, at);
  let weight = 1;
  if (at !== -1) {
    const weightText = word.slice(at + 2);
    const { min, max } = STYLE_REFERENCE_LIMITS.weight;
    const hundredths = /^(?:[0-9]{1,3}(?:\.[0-9]{1,2})?|\.[0-9]{1,2})$/.test(weightText) ? Math.round(Number(weightText) * 100) : Number.NaN;
    if (!(hundredths >= min * 100 && hundredths <= max * 100)) {
      return { ok: false, message: `${spelling} weight of ${shown(text)} must be a number from ${min} to ${max} with at most two decimals, e.g. ::2 (got ${shown(weightText)}).` };
    }
    weight = hundredths / 100;
  }
  // Ids and the word random are case-insensitive; URLs keep their case.
  const lower = text.toLowerCase();
  const value = UUID.test(lower) || lower === "random" ? lower : text;
  const kind = styleRefKind(value);
  if (kind === null) return { ok: false, message: `${spelling} references must each be ${REFERENCE_HELP} (got ${shown(text)}).` };
  return { ok: true, ref: { kind, value, weight } };
}

export const styleReferenceParameter: TParameterSpec = {
  name: "--sref",
  aliases: [],
  takes: `up to ${STYLE_REFERENCE_LIMITS.refs} references (${REFERENCE_HELP}), space-separated, each optionally weighted REF::w`,
  description: "Style reference: make the images in the style of these images or style codes. --sw sets how strongly.",
  example: "--sref https://example.com/style.png::2 1234567890",
  slot: "styleRefs",
  read(value, { spelling }) {
    const words = value.split(/[\s,]+/).filter((word) => word !== "");
    if (words.length === 0) return fail(`${spelling} needs a value: ${REFERENCE_HELP}.`);
    const refs: TStyleRef[] = [];
    for (const word of words) {
      const read = readRef(word, spelling);
      if (!read.ok) return fail(read.message);
      const earlier = refs.find((ref) => ref.value === read.ref.value);
      if (!earlier) refs.push(read.ref);
      else if (earlier.weight !== read.ref.weight) {
        return fail(`${spelling} gives ${shown(read.ref.value)} twice with different weights (${earlier.weight} and ${read.ref.weight}); give it once.`);
      }
    }
    if (refs.length > STYLE_REFERENCE_LIMITS.refs) return fail(`${spelling} takes at most ${STYLE_REFERENCE_LIMITS.refs} references (got ${refs.length}).`);
    return ok({ styleRefs: refs });
  },
  format: ({ styleRefs }) => (styleRefs.length === 0 ? null : ["--sref", ...styleRefs.map((ref) => (ref.weight === 1 ? ref.value : `${ref.value}::${ref.weight}`))].join(" ")),
};
