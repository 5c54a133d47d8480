// A light phrase model of prompt text: just enough structure to edit a prompt
// the way a person would, without a parser for English. A prompt is clauses
// separated by commas ("a large red house on the left, under a sunset sky,
// muted colours"); inside a clause we only ever need to find a word or phrase
// (word-bounded, case-insensitive), the noun phrase around a noun (determiner,
// size and colour words, the noun), and what follows it. Everything here works
// on spans of the original string, so text the rewriter does not touch keeps
// its exact spelling, casing and punctuation.

import { lexiconOf, nounForms } from "./lexicon";

export { nounForms };
import type { TDraftVocabulary } from "./vocabulary";

export interface TSpan {
  start: number;
  end: number;
}

const DETERMINERS = new Set([
  "a", "an", "the", "some", "one", "two", "three", "four", "five", "several", "many", "this", "that",
  "these", "those", "my", "his", "her", "their", "its", "another", "our", "your",
]);

/** Nouns that frame the real subject: "a picture of a house" is about the house. */
const FRAMING_NOUNS = new Set([
  "picture", "photo", "photograph", "image", "illustration", "drawing", "painting", "sketch", "render",
  "rendering", "portrait", "close-up", "closeup", "shot", "scene", "view",
]);

export function isDeterminer(word: string): boolean {
  return DETERMINERS.has(word.toLowerCase());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Compiled patterns, keyed by their alternatives. The same few lists (a vocabulary's
// aliases) are searched on every request, and compiling them dominated the cost.
const PATTERNS = new Map<string, RegExp | null>();
const MAX_PATTERNS = 256;

/** Longest alternatives first, so "on the left side" wins over "on the left" at the same place. */
function wordPattern(alternatives: readonly string[]): RegExp | null {
  const key = alternatives.join("\u0000");
  const cached = PATTERNS.get(key);
  if (cached !== undefined) return cached;
  const pattern = compileWordPattern(alternatives);
  if (PATTERNS.size >= MAX_PATTERNS) PATTERNS.delete(PATTERNS.keys().next().value ?? "");
  PATTERNS.set(key, pattern);
  return pattern;
}

function compileWordPattern(alternatives: readonly string[]): RegExp | null {
  const unique = [...new Set(alternatives.map((alternative) => alternative.toLowerCase()).filter((a) => a !== ""))];
  if (unique.length === 0) return null;
  unique.sort((a, b) => b.length - a.length);
  const body = unique.map((alternative) => escapeRegExp(alternative).replace(/ /g, "\\s+")).join("|");
  return new RegExp(`(?<![\\p{L}\\p{N}'])(?:${body})(?![\\p{L}\\p{N}'])`, "giu");
}

/** Every non-overlapping, word-bounded occurrence of any alternative, left to right. */
export function findAll(text: string, alternatives: readonly string[], from = 0, to = text.length): TSpan[] {
  const pattern = wordPattern(alternatives);
  if (!pattern) return [];
  const region = text.slice(0, to);
  pattern.lastIndex = from;
  const spans: TSpan[] = [];
  for (let match = pattern.exec(region); match; match = pattern.exec(region)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

export function findFirst(text: string, alternatives: readonly string[], from = 0, to = text.length): TSpan | null {
  return findAll(text, alternatives, from, to)[0] ?? null;
}


/** The clause (comma-delimited part of the prompt) around `index`, without the commas. */
export function clauseAt(text: string, index: number): TSpan {
  const before = text.lastIndexOf(",", Math.max(0, index - 1));
  const after = text.indexOf(",", index);
  let start = before === -1 ? 0 : before + 1;
  while (start < text.length && text[start] === " ") start++;
  let end = after === -1 ? text.length : after;
  while (end > start && text[end - 1] === " ") end--;
  return { start, end };
}

export function clauses(text: string): TSpan[] {
  const spans: TSpan[] = [];
  let index = 0;
  while (index <= text.length) {
    const clause = clauseAt(text, index);
    if (clause.end > clause.start) spans.push(clause);
    const comma = text.indexOf(",", index);
    if (comma === -1) break;
    index = comma + 1;
  }
  return spans;
}

export interface TWord extends TSpan {
  word: string;
}

export function wordsIn(text: string, span: TSpan = { start: 0, end: text.length }): TWord[] {
  const words: TWord[] = [];
  const region = text.slice(0, span.end);
  const pattern = /[\p{L}\p{N}][\p{L}\p{N}'-]*/gu;
  pattern.lastIndex = span.start;
  for (let match = pattern.exec(region); match; match = pattern.exec(region)) {
    words.push({ start: match.index, end: match.index + match[0].length, word: match[0] });
  }
  return words;
}

export function splice(text: string, span: TSpan, replacement: string): string {
  return text.slice(0, span.start) + replacement + text.slice(span.end);
}

/** "a" or "an" by the sound of the next word's first letter (good enough for prompts; "an hour" is rare). */
export function articleFor(word: string, capital: boolean): string {
  const article = /^[aeiou]/i.test(word) ? "an" : "a";
  return capital ? article[0]!.toUpperCase() + article.slice(1) : article;
}

export type TModifierKind = "size" | "colour" | "colour-modifier";

export interface TNounPhrase extends TSpan {
  determiner: TWord | null;
  modifiers: Array<TWord & { kind: TModifierKind }>;
  noun: TWord;
}

export function modifierKind(word: string, vocabulary: TDraftVocabulary): TModifierKind | null {
  const lower = word.toLowerCase();
  const lexicon = lexiconOf(vocabulary);
  if (lexicon.sizeAdjectives.has(lower)) return "size";
  if (lexicon.colours.has(lower)) return "colour";
  if (lexicon.colourModifiers.has(lower)) return "colour-modifier";
  return null;
}

/**
 * The noun phrase ending at `noun`: size and colour words directly before it
 * and the determiner before those. Other adjectives stop the walk ("a fluffy
 * wookie": the phrase is just "wookie"), which keeps edits local and never
 * reorders words the rewriter does not understand.
 */
export function nounPhraseAt(text: string, noun: TSpan, vocabulary: TDraftVocabulary): TNounPhrase {
  const clause = clauseAt(text, noun.start);
  const words = wordsIn(text, { start: clause.start, end: noun.end });
  const nounWord = words.at(-1) ?? { ...noun, word: text.slice(noun.start, noun.end) };
  const modifiers: TNounPhrase["modifiers"] = [];
  let determiner: TWord | null = null;
  let next = nounWord;
  for (let i = words.length - 2; i >= 0; i--) {
    const word = words[i]!;
    if (text.slice(word.end, next.start) !== " ") break;
    const kind = modifierKind(word.word, vocabulary);
    if (kind) {
      modifiers.unshift({ ...word, kind });
      next = word;
      continue;
    }
    if (isDeterminer(word.word)) determiner = word;
    break;
  }
  return { start: (determiner ?? modifiers[0] ?? nounWord).start, end: nounWord.end, determiner, modifiers, noun: nounWord };
}

/** Where `noun` (any number) first appears as a whole word, or null. */
export function findNoun(text: string, noun: string, from = 0): TSpan | null {
  return findFirst(text, nounForms(noun), from);
}

/**
 * The main subject, which "it" refers to: the first noun the model knows in the
 * first clause, else the first word that is not a determiner, size or
 * colour ("a Wookie dressed up like a samurai" → Wookie), skipping framing
 * nouns ("a picture of a house" → house).
 */
export function mainSubject(text: string, vocabulary: TDraftVocabulary): TWord | null {
  const first = clauses(text)[0];
  if (!first) return null;
  const words = wordsIn(text, first);
  const known = lexiconOf(vocabulary).subjectForms;
  const subject = words.find((word) => known.has(word.word.toLowerCase()));
  if (subject) return subject;
  // Past leading determiners and adjectives; past "a picture of" to what it is a picture of.
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (isDeterminer(word.word) || modifierKind(word.word, vocabulary) !== null) continue;
    if (FRAMING_NOUNS.has(word.word.toLowerCase()) && words[i + 1]?.word.toLowerCase() === "of" && i + 2 < words.length) {
      i++;
      continue;
    }
    return word;
  }
  return words[0] ?? null;
}

/**
 * Repairs the seams that cutting and inserting leave: doubled spaces, empty
 * clauses, a comma or "and" with nothing on one side. Only those seams are
 * touched (articles are fixed where a noun phrase is rebuilt, not globally, so
 * "a unicorn" elsewhere in the prompt is never "corrected").
 */
export function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/ ,/g, ",")
    .replace(/,(?:\s*,)+/g, ",")
    .replace(/(^|,)\s*(?:and|with)\s*(?=,|$)/gi, "$1")
    .replace(/,(?:\s*,)+/g, ",")
    .replace(/\b(and|with|over|above|under|below|beside|behind|near) and\b/gi, "$1")
    .replace(/^\s*(?:,|and\b)\s*/i, "")
    .replace(/\s*(?:,|\band)\s*$/i, "")
    .trim();
}
