// The vocabulary tables turned into lookup maps, once per vocabulary. Matching
// a request is then a handful of map lookups instead of scans over every list,
// and the alias lists the phrase model searches are the same array objects on
// every call (so their compiled patterns are reused).

import type { TBackground, TDraftVocabulary, TPole, TPosition, TStyleAxis } from "./vocabulary";

export interface TLexicon {
  /** What people say for a style pole ("darker", "ink outline") → the axis and pole. */
  style: ReadonlyMap<string, { axis: TStyleAxis; pole: TPole }>;
  /** What people say for a background, and its in-prompt phrasings → the background. */
  background: ReadonlyMap<string, TBackground>;
  position: ReadonlyMap<string, TPosition>;
  /** "bigger" → "large". */
  size: ReadonlyMap<string, string>;
  aspect: ReadonlyMap<string, { width: number; height: number }>;
  media: ReadonlyMap<string, string>;
  colours: ReadonlySet<string>;
  colourModifiers: ReadonlySet<string>;
  /** Size words as they appear in prompts ("big", "tiny"). */
  sizeAdjectives: ReadonlySet<string>;
  /** Every number of every known subject ("cloud", "clouds"). */
  subjectForms: ReadonlySet<string>;
  /** In-prompt phrasings, for searching prompt text. */
  styleAliases: readonly string[];
  backgroundAliases: readonly string[];
  positionAliases: readonly string[];
  /** In-prompt background phrasing → its background. */
  backgroundByAlias: ReadonlyMap<string, TBackground>;
}

/** "clouds" ⇄ "cloud", "berries" ⇄ "berry", "fish" ⇄ "fish": enough to match what people say against what the prompt says. */
export function nounForms(noun: string): string[] {
  const word = noun.toLowerCase();
  const forms = new Set([word]);
  if (/ies$/.test(word)) forms.add(word.slice(0, -3) + "y");
  if (/(?:s|sh|ch|x|z)es$/.test(word)) forms.add(word.slice(0, -2));
  if (/[^s]s$/.test(word)) forms.add(word.slice(0, -1));
  if (/[^aeiou]y$/.test(word)) forms.add(word.slice(0, -1) + "ies");
  else if (/(?:s|sh|ch|x|z)$/.test(word)) forms.add(word + "es");
  else if (!word.endsWith("s")) forms.add(word + "s");
  return [...forms];
}

const CACHE = new WeakMap<TDraftVocabulary, TLexicon>();

/** First entry wins, so table order decides between two rows that claim the same words. */
function add<T>(map: Map<string, T>, keys: readonly string[], value: T): void {
  for (const key of keys) {
    const lower = key.toLowerCase();
    if (!map.has(lower)) map.set(lower, value);
  }
}

export function lexiconOf(vocabulary: TDraftVocabulary): TLexicon {
  const cached = CACHE.get(vocabulary);
  if (cached) return cached;
  const style = new Map<string, { axis: TStyleAxis; pole: TPole }>();
  for (const axis of vocabulary.styleAxes) {
    for (const pole of ["negative", "positive"] as const) {
      add(style, [axis.phrases[pole], ...axis.words[pole], ...axis.aliases[pole]], { axis, pole });
    }
  }
  const background = new Map<string, TBackground>();
  const backgroundByAlias = new Map<string, TBackground>();
  for (const entry of vocabulary.backgrounds) {
    add(background, [...entry.words, ...entry.aliases], entry);
    add(backgroundByAlias, entry.aliases, entry);
  }
  const position = new Map<string, TPosition>();
  for (const entry of vocabulary.positions) add(position, [...entry.words, ...entry.aliases], entry);
  const size = new Map<string, string>();
  for (const entry of vocabulary.sizes) add(size, entry.words, entry.value);
  const aspect = new Map<string, { width: number; height: number }>();
  for (const entry of vocabulary.aspects) add(aspect, entry.words, entry.ratio);
  const media = new Map<string, string>();
  add(media, vocabulary.media, "");
  for (const key of media.keys()) media.set(key, key);

  const lexicon: TLexicon = {
    style,
    background,
    position,
    size,
    aspect,
    media,
    colours: new Set(vocabulary.colours.map((colour) => colour.toLowerCase())),
    colourModifiers: new Set(vocabulary.colourModifiers.map((modifier) => modifier.toLowerCase())),
    sizeAdjectives: new Set(vocabulary.sizes.flatMap((size) => size.adjectives.map((adjective) => adjective.toLowerCase()))),
    subjectForms: new Set(vocabulary.subjects.flatMap(nounForms)),
    styleAliases: vocabulary.styleAxes.flatMap((axis) => [...axis.aliases.negative, ...axis.aliases.positive]),
    backgroundAliases: [...backgroundByAlias.keys()],
    positionAliases: vocabulary.positions.flatMap((entry) => entry.aliases),
    backgroundByAlias,
  };
  CACHE.set(vocabulary, lexicon);
  return lexicon;
}
