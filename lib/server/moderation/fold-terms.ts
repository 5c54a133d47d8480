/**
 * How prompts are compared with the blocked terms (docs/operations-metrics-audit.md §3):
 * both sides are folded the same way — compatibility-decomposed (full-width
 * and ligature forms become plain letters), accents dropped, lower-cased,
 * look-alike characters read as the letter they imitate — then split into
 * words. A term matches when its words appear consecutively in the prompt
 * (whole words only: "class" never matches "ass").
 */

/** Look-alikes, read the same way in prompts and terms. `l` and `1` share `i`'s class, so 1 reads as either. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  l: "i",
  "!": "i",
  "|": "i",
  "3": "e",
  "4": "a",
  "@": "a",
  "5": "s",
  $: "s",
  "7": "t",
  "8": "b",
};
/** What separates words: anything but letters, digits and the look-alike symbols. */
const CHUNK_SEPARATOR = /[^\p{L}\p{N}!|@$]+/u;
const EDGE_SYMBOLS = /^[!|@$]+|[!|@$]+$/gu;

function foldChars(chunk: string): string {
  return [...chunk].map((char) => LOOK_ALIKES[char] ?? char).join("");
}

function baseFold(text: string): string[] {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().split(CHUNK_SEPARATOR).filter((chunk) => chunk.length > 0);
}

/** The folded words of a text, every look-alike read as its letter (how terms are read). */
export function foldWords(text: string): string[] {
  return baseFold(text).map(foldChars).filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/**
 * The readings of a prompt: every symbol as a letter ("@$$" is "ass"), and
 * with symbols at a word's edges as punctuation ("badword!" is "badword",
 * "wow!" is not "wowi"). A term matching either reading matches.
 */
export function foldReadings(text: string): string[][] {
  const chunks = baseFold(text);
  const asLetters = chunks.map(foldChars);
  const trimmed = chunks.flatMap((chunk) => {
    const inner = /[\p{L}\p{N}]/u.test(chunk) ? chunk.replace(EDGE_SYMBOLS, "") : chunk;
    return inner ? [foldChars(inner)] : [];
  });
  return asLetters.join(" ") === trimmed.join(" ") ? [asLetters] : [asLetters, trimmed];
}

/** Blocked terms ready to match: indexed by their first folded word. */
export interface CompiledPolicy {
  byFirstWord: Map<string, { term: string; words: string[] }[]>;
}

export function compilePolicy(terms: readonly string[]): CompiledPolicy {
  const byFirstWord = new Map<string, { term: string; words: string[] }[]>();
  for (const term of terms) {
    const words = foldWords(term);
    const first = words[0];
    if (first === undefined) continue;
    byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), { term, words }]);
  }
  return { byFirstWord };
}

/** The first blocked term (as the admin wrote it) found in `text`, or null. */
export function findBlockedTerm(policy: CompiledPolicy, text: string): string | null {
  if (policy.byFirstWord.size === 0) return null;
  for (const words of foldReadings(text)) {
    for (const [start, word] of words.entries()) {
      for (const candidate of policy.byFirstWord.get(word) ?? []) {
        if (candidate.words.every((termWord, offset) => words[start + offset] === termWord)) return candidate.term;
      }
    }
  }
  return null;
}

/** Two terms are the same entry when they fold to the same words. */
export function foldedKey(term: string): string {
  return foldWords(term).join(" ");
}
