/**
 * Permutation prompts, as in Midjourney: `a {red, blue} bird on a {tree, fence}`
 * is four prompts, one job each. Groups may nest (`{a {big, small} cat, a dog}`)
 * and may stand inside parameters (`--ar {1:1, 16:9}`); `\{`, `\}` and `\,`
 * are literal characters. Expansion happens before parsing, so each prompt is
 * then read (and validated) like any other.
 */

/** The most prompts one submission may expand to (the same hard cap as --repeat). */
export const MAX_PERMUTATIONS = 40;

export type TExpansion = { ok: true; prompts: string[] } | { ok: false; message: string };

type Piece = { kind: "text"; text: string } | { kind: "group"; options: Piece[][] };

class PermutationError extends Error {}

/** Reads text into literal pieces and brace groups; `end` is where this level stops. */
function readSequence(text: string, start: number, inGroup: boolean): { pieces: Piece[]; options: Piece[][]; end: number } {
  const options: Piece[][] = [];
  let pieces: Piece[] = [];
  let literal = "";
  const flush = () => {
    if (literal) pieces.push({ kind: "text", text: literal });
    literal = "";
  };
  let index = start;
  while (index < text.length) {
    const char = text[index]!;
    if (char === "\\" && (text[index + 1] === "{" || text[index + 1] === "}" || text[index + 1] === ",")) {
      literal += text[index + 1];
      index += 2;
      continue;
    }
    if (char === "{") {
      flush();
      const group = readSequence(text, index + 1, true);
      pieces.push({ kind: "group", options: [...group.options, group.pieces] });
      index = group.end + 1;
      continue;
    }
    if (char === "}") {
      if (!inGroup) throw new PermutationError(`A "}" at position ${index + 1} closes no "{". Write \\} for a literal brace.`);
      flush();
      return { pieces, options, end: index };
    }
    if (char === "," && inGroup) {
      flush();
      options.push(pieces);
      pieces = [];
      index += 1;
      continue;
    }
    literal += char;
    index += 1;
  }
  if (inGroup) throw new PermutationError(`A "{" is never closed. Close it with "}", or write \\{ for a literal brace.`);
  flush();
  return { pieces, options, end: index };
}

/** Every text a sequence of pieces stands for, in reading order (the first option varies slowest). */
function expand(pieces: Piece[]): string[] {
  let results = [""];
  for (const piece of pieces) {
    const choices = piece.kind === "text" ? [piece.text] : piece.options.flatMap((option) => expand(option).map((text) => text.trim()));
    const next: string[] = [];
    for (const prefix of results) for (const choice of choices) next.push(prefix + choice);
    if (next.length > MAX_PERMUTATIONS) throw new PermutationError(`The braces make more than ${MAX_PERMUTATIONS} prompts; at most ${MAX_PERMUTATIONS} are made at once.`);
    results = next;
  }
  return results;
}

/** Whether the text uses permutation syntax at all (so plain prompts skip the work). */
export function hasPermutations(text: string): boolean {
  return /[{}]/.test(text);
}

/** Expands permutation groups; a prompt without braces or escapes is returned as it is. */
export function expandPermutations(text: string): TExpansion {
  // An escape (`\,`) means the same with or without a group elsewhere in the prompt, so only text with neither skips the read.
  if (!hasPermutations(text) && !text.includes("\\")) return { ok: true, prompts: [text] };
  try {
    const prompts = expand(readSequence(text, 0, false).pieces);
    // Empty options (`{red,}`) leave double spaces; the parser normalises whitespace anyway.
    return { ok: true, prompts };
  } catch (error) {
    if (error instanceof PermutationError) return { ok: false, message: error.message };
    throw error;
  }
}
