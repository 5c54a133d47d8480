// The words the rewriter knows, as data. The rules in intents.ts and apply.ts
// never name a colour, a background or a style phrase themselves: they look
// them up here, so a model with a different world (or a bigger one) needs a new
// table, not new code. Each model's tables come from the `draft` section of its
// manifest (docs/model-manifest.md), phrased the way its training captions are,
// because a prompt in the model's own words is the one it draws best; what a
// manifest leaves out comes from DEFAULT_DRAFT_VOCABULARY, plain English that
// Stable Diffusion models understand. This module stays pure (no file reads):
// lib/server/draft/vocabulary.ts loads the manifest.

import type { TManifestDraftVocabulary } from "@/lib/models/manifest";

/** Which part of the frame a background fills; two backgrounds conflict when their slots do. */
export type TBackgroundSlot = "sky" | "ground" | "backdrop";

export interface TBackground {
  id: string;
  slot: TBackgroundSlot;
  /** What the rewriter writes: the model's canonical phrase. */
  phrase: string;
  /** Phrasings that mean this background when found in a prompt (the canonical one included). */
  aliases: readonly string[];
  /** What a person says to ask for it ("night", "at sunset", "on the snow"). */
  words: readonly string[];
}

export type TPole = "negative" | "positive";

export interface TStyleAxis {
  id: string;
  /** Style words are "style"; the centred/dynamic axis is about composition. */
  intent: "style" | "composition";
  /** Canonical phrases per pole (for a model with personalization axes, its manifest's style_axes negative/positive). */
  phrases: Readonly<Record<TPole, string>>;
  /** Phrasings found in prompts, per pole (canonical first). */
  aliases: Readonly<Record<TPole, readonly string[]>>;
  /** What people say, per pole: adjectives, comparatives, verbs ("darker", "darken"). */
  words: Readonly<Record<TPole, readonly string[]>>;
}

export interface TPosition {
  id: string;
  phrase: string;
  aliases: readonly string[];
  words: readonly string[];
}

export interface TAspectWord {
  words: readonly string[];
  ratio: { width: number; height: number };
}

export interface TSize {
  value: string;
  /** Adjectives that mean this size inside a prompt. */
  adjectives: readonly string[];
  /** What people say: "bigger", "make it huge". */
  words: readonly string[];
}

export interface TDraftVocabulary {
  /** Nouns the model knows; used to find "the main subject" in preference to the first noun. */
  subjects: readonly string[];
  colours: readonly string[];
  /** Words that can precede a colour and belong to it ("dark blue"). */
  colourModifiers: readonly string[];
  sizes: readonly TSize[];
  positions: readonly TPosition[];
  backgrounds: readonly TBackground[];
  styleAxes: readonly TStyleAxis[];
  aspects: readonly TAspectWord[];
  /**
   * Media and rendering styles ("watercolour", "pixel art"): open-ended style
   * words outside the model's trained axes, written as their own clause, one at
   * a time (a new one replaces the old).
   */
  media: readonly string[];
}

const COLOURS = [
  "red", "orange", "yellow", "green", "blue", "purple", "pink", "white", "black", "brown",
  "grey", "gray", "gold", "golden", "silver", "cyan", "teal", "turquoise", "violet", "magenta",
  "beige", "crimson", "navy", "maroon", "indigo", "lime",
] as const;

/** "on a red background" for every colour: plain-colour backdrops. */
function colourBackdrops(colours: readonly string[]): TBackground[] {
  return colours.map((colour) => ({
    id: `colour:${colour}`,
    slot: "backdrop",
    phrase: `on a ${colour} background`,
    aliases: [`on a ${colour} background`, `against a ${colour} background`, `with a ${colour} background`, `${colour} background`],
    words: [`${colour} background`, `a ${colour} background`, `on a ${colour} background`, `against a ${colour} background`],
  }));
}

/** The generic backgrounds, before the colour backdrops are added. */
const GENERIC_BACKGROUNDS: readonly TBackground[] = [
  {
    id: "sunset",
    slot: "sky",
    phrase: "at sunset",
    aliases: ["at sunset", "under a sunset sky", "with a sunset background", "sunset sky", "at dusk", "at golden hour"],
    words: ["sunset", "a sunset", "at sunset", "sunset sky", "a sunset sky", "under a sunset sky", "dusk", "at dusk", "golden hour", "at golden hour", "evening", "in the evening", "sundown"],
  },
  {
    id: "night",
    slot: "sky",
    phrase: "under a starry night sky",
    aliases: ["under a starry night sky", "under a night sky with stars", "against a starry night sky", "under a starry sky", "under a night sky", "at night", "night sky", "at midnight"],
    words: ["night", "at night", "nighttime", "night time", "night-time", "a night sky", "night sky", "starry", "a starry sky", "starry sky", "starry night", "midnight", "at midnight", "under the stars", "under a night sky"],
  },
  {
    id: "day",
    slot: "sky",
    phrase: "under a blue sky",
    aliases: ["under a blue sky", "in daylight", "during the day", "in the daytime"],
    words: ["day", "daytime", "day time", "daylight", "during the day", "in daylight", "in the daytime", "a blue sky", "blue sky", "sunny"],
  },
  {
    id: "meadow",
    slot: "ground",
    phrase: "in a green meadow",
    aliases: ["in a green meadow", "in a meadow under a blue sky", "over a green meadow", "above the grass", "sky over grass", "in a meadow", "on the grass", "over grass", "in a field"],
    words: ["grass", "the grass", "grassy", "meadow", "a meadow", "a green meadow", "field", "a field", "on the grass", "in a meadow", "in a field", "sky over grass", "above the grass", "over a green meadow"],
  },
  {
    id: "sea",
    slot: "ground",
    phrase: "by the sea",
    aliases: ["by the sea", "above the sea", "over the ocean", "over the sea", "at sea", "on the sea", "in the sea", "on the ocean", "by the ocean", "on the water"],
    words: ["sea", "the sea", "ocean", "the ocean", "at sea", "by the sea", "on the sea", "above the sea", "over the sea", "over the ocean", "on the ocean", "on the water", "seaside"],
  },
  {
    id: "snow",
    slot: "ground",
    phrase: "in a snowy landscape",
    aliases: ["in a snowy landscape", "over a snowy field", "in the snow", "on the snow", "in snow", "on snow"],
    words: ["snow", "the snow", "snowy", "in the snow", "on the snow", "in snow", "on snow", "winter", "wintry", "a snowy field", "a snowy landscape"],
  },
  {
    id: "plain",
    slot: "backdrop",
    phrase: "on a plain background",
    aliases: ["on a plain background", "on a blank background", "with a plain background", "plain background"],
    words: ["plain", "blank", "plain background", "a plain background", "blank background", "a blank background", "on a plain background", "simple background", "a simple background", "no background", "without a background", "without background"],
  },
];

/**
 * For models whose manifest has no Draft tables (or leaves some out): no
 * subjects of its own (the first noun of a prompt is its subject), common
 * colours, and backgrounds and styles phrased the way prompts for Stable
 * Diffusion models usually are. The style phrases match personalization's
 * default axes where the two share an axis, so both write the same words.
 */
export const DEFAULT_DRAFT_VOCABULARY: TDraftVocabulary = {
  subjects: [],
  colours: COLOURS,
  colourModifiers: ["light", "dark", "pale", "bright", "deep", "pastel", "neon"],
  sizes: [
    {
      value: "large",
      adjectives: ["large", "big", "huge", "giant", "enormous", "medium"],
      words: ["bigger", "larger", "big", "large", "huge", "giant", "enormous", "larger in size", "twice as big", "twice the size", "much bigger", "scale it up", "scaled up"],
    },
    {
      value: "small",
      adjectives: ["small", "little", "tiny", "miniature"],
      words: ["smaller", "small", "tiny", "little", "miniature", "smaller in size", "half as big", "half the size", "much smaller", "scale it down", "scaled down"],
    },
  ],
  positions: [
    {
      id: "left",
      phrase: "on the left",
      aliases: ["on the left side", "on the left", "to the left", "at the left", "on the left-hand side"],
      words: ["left", "the left", "to the left", "on the left", "left side", "the left side", "to the left side", "on the left side", "leftwards"],
    },
    {
      id: "right",
      phrase: "on the right",
      aliases: ["on the right side", "on the right", "to the right", "at the right", "on the right-hand side"],
      words: ["right", "the right", "to the right", "on the right", "right side", "the right side", "to the right side", "on the right side", "rightwards"],
    },
    {
      id: "top",
      phrase: "at the top",
      aliases: ["at the top", "near the top", "in the upper part", "to the top"],
      words: ["top", "the top", "to the top", "at the top", "up", "upwards", "higher", "higher up", "up top", "near the top"],
    },
    {
      id: "bottom",
      phrase: "at the bottom",
      aliases: ["at the bottom", "near the bottom", "in the lower part", "to the bottom"],
      words: ["bottom", "the bottom", "to the bottom", "at the bottom", "down", "downwards", "lower", "lower down", "near the bottom"],
    },
    {
      id: "centre",
      phrase: "in the centre",
      aliases: ["in the centre", "in the center", "in the middle", "centred", "centered"],
      words: ["centre", "center", "the centre", "the center", "middle", "the middle", "in the centre", "in the center", "in the middle", "to the centre", "to the center", "to the middle", "centred", "centered", "central"],
    },
  ],
  backgrounds: [...GENERIC_BACKGROUNDS, ...colourBackdrops(COLOURS)],
  styleAxes: [
    {
      id: "saturation",
      intent: "style",
      phrases: { negative: "muted desaturated colours", positive: "vivid saturated colours" },
      aliases: {
        negative: ["muted desaturated colours", "muted colours", "muted colors", "muted tones", "desaturated colours", "desaturated colors", "desaturated", "muted"],
        positive: ["vivid saturated colours", "vivid colours", "vivid colors", "vibrant colours", "vibrant colors", "saturated colours", "saturated colors", "vivid", "vibrant"],
      },
      words: {
        negative: ["muted", "muted colours", "muted colors", "desaturated", "desaturate", "mute", "tone down", "tone it down", "dull", "duller", "subdued", "washed out", "toned down", "pastel", "pastel colours", "pastel colors", "greyer", "grayer"],
        positive: ["vivid", "vivid colours", "vivid colors", "vibrant", "saturated", "saturate", "colourful", "colorful", "more colourful", "more colorful", "bold colours", "bold colors", "bright colours", "bright colors", "punchy", "punchier", "richer colours", "richer colors", "colour", "color"],
      },
    },
    {
      id: "temperature",
      intent: "style",
      phrases: { negative: "cool blue tones", positive: "warm golden tones" },
      aliases: {
        negative: ["cool blue tones", "cool tones", "cool colours", "cool colors", "cold tones", "cold colours", "cold colors"],
        positive: ["warm golden tones", "warm tones", "warm colours", "warm colors", "warm light"],
      },
      words: {
        negative: ["cool", "cooler", "cool down", "cool it down", "cold", "colder", "cool tones", "cool colours", "cool colors", "chilly", "icy"],
        positive: ["warm", "warmer", "warm up", "warm it up", "warm tones", "warm colours", "warm colors", "hot", "hotter", "cosy", "cozy"],
      },
    },
    {
      id: "brightness",
      intent: "style",
      phrases: { negative: "dark moody lighting", positive: "bright airy lighting" },
      aliases: {
        negative: ["dark moody lighting", "dark palette", "dark colours", "dark colors", "dark tones"],
        positive: ["bright airy lighting", "light palette", "light colours", "light colors", "light tones", "bright palette"],
      },
      words: {
        negative: ["dark", "darker", "darken", "dim", "dimmer", "moody", "moodier", "gloomy", "gloomier", "dark palette", "shadowy"],
        positive: ["light", "lighter", "lighten", "bright", "brighter", "brighten", "light palette", "airy", "airier"],
      },
    },
    {
      id: "outline",
      intent: "style",
      phrases: { negative: "no outline", positive: "ink outline" },
      aliases: {
        negative: ["no outlines", "no outline", "without outlines", "without outline", "without an outline"],
        positive: ["ink outlines", "ink outline", "inked outlines", "inked outline", "ink lines", "black outline", "outlined"],
      },
      words: {
        negative: ["no outline", "no outlines", "without outline", "without outlines", "without an outline", "without the outline", "no ink outline", "no lines", "outline-free", "unoutlined"],
        positive: ["ink outline", "ink outlines", "an ink outline", "outline", "outlines", "an outline", "outlined", "inked", "ink lines", "line art", "lines", "black outline", "a black outline"],
      },
    },
    {
      id: "shading",
      intent: "style",
      phrases: { negative: "flat shading", positive: "soft shading" },
      aliases: {
        negative: ["flat shading", "flat colours", "flat colors", "unshaded"],
        positive: ["soft shading", "smooth shading", "soft shadows", "shaded"],
      },
      words: {
        negative: ["flat", "flatter", "flat shading", "flat colours", "flat colors", "unshaded", "no shading", "without shading", "2d"],
        positive: ["shaded", "shading", "soft shading", "smooth shading", "soft shadows", "shadows", "3d", "rounder", "more depth", "depth"],
      },
    },
    {
      id: "detail",
      intent: "style",
      phrases: { negative: "minimalist", positive: "highly detailed" },
      aliases: {
        negative: ["minimalist", "minimal", "simple style"],
        positive: ["highly detailed", "detailed", "intricate"],
      },
      words: {
        negative: ["minimal", "minimalist", "simple", "simpler", "simplify", "declutter", "sparse", "sparser", "cleaner", "less busy", "plainer"],
        positive: ["detailed", "detail", "details", "more detailed", "intricate", "complex", "busier", "richer", "fancier", "highly detailed"],
      },
    },
    {
      id: "composition",
      intent: "composition",
      phrases: { negative: "centred composition", positive: "dynamic composition" },
      aliases: {
        negative: ["centred composition", "centered composition", "symmetrical composition", "static composition"],
        positive: ["dynamic composition", "dynamic angle", "dynamic"],
      },
      words: {
        negative: ["centred composition", "centered composition", "a centred composition", "a centered composition", "symmetrical", "symmetric", "balanced", "static"],
        positive: ["dynamic", "dynamic composition", "a dynamic composition", "energetic", "more energetic", "action-packed", "off-centre", "off-center", "asymmetric", "asymmetrical"],
      },
    },
  ],
  aspects: [
    { words: ["wide", "wider", "widescreen", "wide screen", "landscape", "horizontal", "panoramic", "panorama", "cinematic", "desktop", "desktop wallpaper", "monitor", "tv", "youtube thumbnail"], ratio: { width: 16, height: 9 } },
    { words: ["tall", "taller", "vertical", "phone", "story", "stories", "phone wallpaper", "instagram story", "reel", "tiktok"], ratio: { width: 9, height: 16 } },
    { words: ["portrait", "portrait mode", "portrait orientation"], ratio: { width: 2, height: 3 } },
    { words: ["square", "squared", "square format", "1 by 1"], ratio: { width: 1, height: 1 } },
  ],
  media: [
    "photorealistic", "realistic", "photo", "photograph", "photography", "painting", "oil painting", "acrylic painting",
    "watercolour", "watercolor", "watercolour painting", "watercolor painting", "gouache", "pencil sketch", "sketch", "drawing",
    "charcoal drawing", "ink drawing", "line drawing", "illustration", "digital art", "concept art", "pixel art", "3d render",
    "render", "clay render", "cartoon", "cartoonish", "comic", "comic book", "anime", "manga", "vector art", "flat illustration",
    "woodblock print", "linocut", "poster", "impressionist", "impressionism", "surreal", "painterly", "low poly", "origami",
  ],
};

/**
 * Values that contradict each other, by background id and style pole: a
 * picture cannot be both a night scene and bright and airy. When one is asked
 * for, the phrases of the other are cut (and the reply lists them as removed).
 * Ids, not words, so every model whose tables use these ids gets the rule.
 */
export const VALUE_CONFLICTS: ReadonlyArray<{ background: string; axis: string; pole: TPole }> = [
  { background: "night", axis: "brightness", pole: "positive" },
  { background: "day", axis: "brightness", pole: "negative" },
];

const FROM_MANIFEST = new WeakMap<TManifestDraftVocabulary, TDraftVocabulary>();

/**
 * A model's Draft vocabulary from its manifest's `draft` section (already
 * validated by lib/models/manifest.ts): each table the section has replaces
 * the default's, the rest are the default's. The same section object always
 * gives the same vocabulary object, so lexiconOf's lookup maps are built once.
 */
export function draftVocabularyFrom(section: TManifestDraftVocabulary | undefined): TDraftVocabulary {
  if (!section) return DEFAULT_DRAFT_VOCABULARY;
  const cached = FROM_MANIFEST.get(section);
  if (cached) return cached;
  const base = DEFAULT_DRAFT_VOCABULARY;
  const colours = section.colours ?? base.colours;
  const backgrounds = section.backgrounds ?? GENERIC_BACKGROUNDS;
  const vocabulary: TDraftVocabulary = {
    subjects: section.subjects ?? base.subjects,
    colours,
    colourModifiers: section.colour_modifiers ?? base.colourModifiers,
    sizes: section.sizes ?? base.sizes,
    positions: section.positions ?? base.positions,
    backgrounds: section.colour_backdrops === false ? backgrounds : [...backgrounds, ...colourBackdrops(colours)],
    styleAxes: section.style_axes ?? base.styleAxes,
    aspects: section.aspects ?? base.aspects,
    media: section.media ?? base.media,
  };
  FROM_MANIFEST.set(section, vocabulary);
  return vocabulary;
}
