// Typing slips in follow-ups ("make it darkr", "widescren", "at nigth").
// A word is corrected only when it is unknown and exactly one letter away
// (an insertion, deletion, substitution or swap) from a word that this model's
// vocabulary, the rules or the current prompt use. Open-vocabulary nouns are
// the risk ("add a knight" must not become "add a night"), so right after an
// article only the prompt's own words are candidates.

import { lexiconOf } from "./lexicon";
import { isPluralNoun as nlpPlural } from "./nlp";
import type { TDraftVocabulary } from "./vocabulary";

/** Words the rules themselves match on (verbs and connectors of the sentence shapes). */
const RULE_WORDS = [
  "make", "remove", "delete", "add", "put", "move", "swap", "replace", "change", "turn", "give", "please", "bigger", "smaller",
  "instead", "background", "colour", "color", "colours", "colors", "format", "picture", "image", "without", "shrink", "enlarge",
  "brighter", "darker", "lighter", "warmer", "cooler", "wider", "taller", "center", "centre", "middle", "left", "right", "top", "bottom",
  // Common words one letter away from a vocabulary word ("could" / "cloud", "whole" / "white").
  "could", "would", "should", "there", "their", "where", "which", "while", "whole", "these", "those", "thing", "things", "maybe",
  "think", "still", "sound", "round", "ground", "stare", "start", "stars", "paint", "point", "light", "night", "might", "right",
];
/** Slips too short for the one-letter rule. */
const SHORT_SLIPS: Readonly<Record<string, string>> = { teh: "the", hte: "the", adn: "and", nad: "and", mak: "make", amke: "make", ti: "it" };
const ARTICLES = new Set(["a", "an", "the", "some", "my", "this", "that", "another"]);

const DICTIONARIES = new WeakMap<TDraftVocabulary, ReadonlySet<string>>();

function words(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+/gu) ?? [];
}

function dictionaryOf(vocabulary: TDraftVocabulary): ReadonlySet<string> {
  const cached = DICTIONARIES.get(vocabulary);
  if (cached) return cached;
  const lexicon = lexiconOf(vocabulary);
  const all = new Set<string>(RULE_WORDS);
  const phrases = [
    ...lexicon.style.keys(), ...lexicon.background.keys(), ...lexicon.position.keys(), ...lexicon.size.keys(), ...lexicon.aspect.keys(),
    ...lexicon.media.keys(), ...lexicon.colours, ...lexicon.colourModifiers, ...lexicon.subjectForms,
  ];
  for (const phrase of phrases) for (const word of words(phrase)) all.add(word);
  DICTIONARIES.set(vocabulary, all);
  return all;
}

/** True when a and b are one insertion, deletion, substitution or adjacent swap apart. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [first, second] = diffs;
    return diffs.length === 2 && second === first! + 1 && a[first!] === b[second!] && a[second!] === b[first!];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

/** The message with slips corrected; unchanged when there is nothing to correct or the correction is not clear. */
export function correctTypos(message: string, vocabulary: TDraftVocabulary, prompt: string): string {
  const dictionary = dictionaryOf(vocabulary);
  const promptWords = new Set(words(prompt));
  let previous = "";
  // Words with an apostrophe ("shouldn't", "dragon's") are taken whole and never corrected.
  return message.replace(/[\p{L}']+/gu, (token) => {
    const lower = token.toLowerCase();
    const before = previous;
    previous = lower;
    if (lower.includes("'") || dictionary.has(lower) || promptWords.has(lower)) return token;
    const short = SHORT_SLIPS[lower];
    if (short) return short;
    // Four letters or fewer are too often another real word ("shot" / "hot", "dawn" / "down").
    if (lower.length < 5 || lower.length > 16) return token;
    // A plural of an unknown noun is a word, not a slip ("clouds" is not "cloudy").
    if (/[^s]s$/.test(lower) && nlpPlural(lower)) return token;
    const pool = ARTICLES.has(before) ? [...promptWords] : [...dictionary, ...promptWords];
    // A final "s" for another ending is a plural, not a slip ("clouds" / "cloudy").
    const inflection = (word: string) => word.length === lower.length && lower.endsWith("s") && word.slice(0, -1) === lower.slice(0, -1);
    const candidates = [...new Set(pool.filter((word) => word.length >= 3 && Math.abs(word.length - lower.length) <= 1 && oneEditApart(lower, word) && !inflection(word)))];
    if (candidates.length === 0) return token;
    // "darkr" is one letter from "dark" and "darker": a dropped letter is the likelier slip, so the longer word wins.
    const longest = Math.max(...candidates.map((word) => word.length));
    const best = candidates.filter((word) => word.length === longest);
    return best.length === 1 ? best[0]! : token;
  });
}
