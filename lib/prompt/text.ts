// Text rules shared by the tokenizer and the recipe schema. Keeping them in one
// place is what makes "the parser only emits recipes the schema accepts" and
// "formatPrompt output parses back to the same recipe" true by construction.

/**
 * A parameter starts with `--`, an em dash or an en dash (phones and word
 * processors autocorrect `--` into `—` or `–`, and pasted prompts carry them)
 * at a word boundary (start of text, a space or a comma) and is immediately
 * followed by an ASCII letter. The boundary and the letter keep prose dashes as
 * text: "a cat—dog hybrid", "1990 -- 2000", "well-known--thing".
 * The comma counts as a boundary because --no lists are re-joined with ", ":
 * were "a,—b" text, normalising it would create a parameter that was not there.
 * Applied to whitespace-collapsed text, so a single space is the only space.
 */
const MARKER = /(^|[ ,])(--|\u2014|\u2013)(?=[A-Za-z])/g;

export type TMarker = { start: number; end: number };

/** Positions of every parameter marker; `start` is the first dash, `end` the first letter of the name. */
export function findMarkers(text: string): TMarker[] {
  const markers: TMarker[] = [];
  for (const match of text.matchAll(MARKER)) {
    const start = match.index + (match[1] ?? "").length;
    markers.push({ start, end: start + (match[2] ?? "").length });
  }
  return markers;
}

export function hasMarker(text: string): boolean {
  return findMarkers(text).length > 0;
}

/**
 * Every run of whitespace (tabs, line breaks, NBSP, ...) becomes one space and the
 * ends are trimmed; then NFC, so "é" typed as e + combining accent and "é" as one
 * code point are the same prompt. The result is a fixed point (NFC never turns
 * a non-space into a space), which the property tests check: stored recipes
 * must stay canonical when normalised again.
 */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, " ").trim().normalize("NFC");
}

/** "a ,b,, c" → "a, b, c": trimmed items, empties dropped, one canonical separator. */
export function normaliseList(text: string): string {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
    .join(", ");
}

/** Length in Unicode code points, which is what a person counts as characters (an emoji is one). */
export function charCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

export type TForbiddenCharacter = { kind: "control" | "surrogate"; codePoint: number; position: number };

/**
 * Policy: tab, line feed, vertical tab, form feed and carriage return are
 * whitespace and simply collapse to spaces. Every other C0/C1 control character
 * (U+0000–U+001F, U+007F–U+009F) is REJECTED rather than stripped: deleting it
 * silently could glue two words together or hide a corrupted paste, and NUL
 * cannot be stored in Postgres text at all. Unpaired UTF-16 surrogates are
 * rejected for the same reason (Postgres JSON refuses them).
 * `position` is 1-based and counts code points, as charCount does.
 */
export function findForbiddenCharacter(text: string): TForbiddenCharacter | null {
  let position = 0;
  for (let i = 0; i < text.length; i++) {
    position++;
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { kind: "surrogate", codePoint: unit, position };
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return { kind: "surrogate", codePoint: unit, position };
    if (isForbiddenControl(unit)) return { kind: "control", codePoint: unit, position };
  }
  return null;
}

function isForbiddenControl(unit: number): boolean {
  const whitespaceControl = unit >= 0x09 && unit <= 0x0d;
  return (unit <= 0x1f && !whitespaceControl) || (unit >= 0x7f && unit <= 0x9f);
}

/** True when the text is exactly what the parser would produce for it: the schema's test for prompt fields. */
export function isCanonicalText(text: string): boolean {
  return findForbiddenCharacter(text) === null && normaliseText(text) === text && !hasMarker(text);
}

/** "U+0007" */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A value quoted back to the user in an error, shortened so a pasted essay doesn't flood the message. */
export function shown(value: string, max = 40): string {
  const chars = Array.from(value);
  const short = chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : value;
  return /\s/.test(short) ? `"${short}"` : short;
}
