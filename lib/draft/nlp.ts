// The one place lib/draft uses an NLP library (compromise: small, MIT, runs in
// the browser and on the server). The sentence shapes in intents.ts stay
// rules; compromise answers the word-level questions rules answer badly:
// the base form of a comparative ("brighter" → "bright") and whether a
// phrase names a thing at all ("quite" does not; "the knight" does).

import nlp from "compromise";

const BASES = new Map<string, string>();

/** "brighter" → "bright", "bigger" → "big"; the word itself when it is not a comparative. */
export function adjectiveBase(word: string): string {
  const lower = word.toLowerCase();
  // Only "-er" words can be comparatives; everything else skips the parser (it is called on every candidate complement).
  if (!/^\p{L}{3,20}er$/u.test(lower)) return lower;
  const cached = BASES.get(lower);
  if (cached !== undefined) return cached;
  const doc = nlp(lower);
  const base = doc.has("#Comparative") ? doc.compute("root").text("root") || lower : lower;
  if (BASES.size < 2000) BASES.set(lower, base);
  return base;
}

/**
 * False when every word of the phrase is a function word (adverb, determiner,
 * preposition, pronoun, interjection…): "not quite", "no way" name nothing to
 * remove. Anything else may be a thing, as compromise reads plural nouns
 * ("clouds", "stars") as verbs as often as not.
 */
export function namesAThing(phrase: string): boolean {
  const terms = nlp(phrase).terms();
  if (!terms.found) return false;
  return terms.not("(#Adverb|#Determiner|#Preposition|#Conjunction|#Expression|#Pronoun|#Negative|#QuestionWord)").found;
}

/** True when compromise reads the word as a plural noun ("clouds", "castles"). */
export function isPluralNoun(word: string): boolean {
  return nlp(word).has("#Plural");
}
