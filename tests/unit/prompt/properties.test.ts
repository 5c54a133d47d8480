import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPrompt, parsePrompt, PROMPT_PARAMETERS, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import { IGNORED_REASONS } from "@/lib/prompt/parameters";
import { INTERNAL_ERROR_MESSAGE, type TParseResult } from "@/lib/prompt/parse";
import { multiPromptParts } from "@/lib/prompt/multi-prompt";
import { isCanonicalText, normaliseList, normaliseText } from "@/lib/prompt/text";

// Properties over generated input. Run counts keep the whole file well under a second or two.

/** A result is "clean": ok with a schema-valid recipe, or an error with a real message. */
function expectClean(result: TParseResult): void {
  if (result.ok) {
    expect(ZPromptRecipe.safeParse(result.recipe).success).toBe(true);
  } else {
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.message).not.toBe(INTERNAL_ERROR_MESSAGE);
  }
}

/** Characters that stress the tokenizer and normaliser: dashes, separators, whitespace kinds, combining marks, astral. */
const trickyChar = fc.constantFrom(
  "a", "b", "Z", "7", "0", " ", "  ", "-", "--", "\u2014", "\u2013", ",", ":", ".", "\t", "\n", "\u00a0", "\u2028",
  "e\u0301", "\u0301", "\u00e9", "\u{1F431}", "\u4E2D", "\u200B", "x", "ar", "s", "no",
);
const trickyText = fc.array(trickyChar, { maxLength: 40 }).map((parts) => parts.join(""));

describe("parsePrompt: properties", () => {
  it("(1) never throws on any string, and answers ok (schema-valid) or with a message", () => {
    const anyString = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 200 }),
      trickyText,
    );
    fc.assert(
      fc.property(anyString, fc.option(fc.oneof(fc.integer({ min: -5, max: 60 }), fc.double()), { nil: undefined }), (input, maxRepeat) => {
        expectClean(parsePrompt(input, { maxRepeat }));
      }),
      { numRuns: 1000 },
    );
  });

  it("(2) parsePrompt(formatPrompt(recipe)) deep-equals any valid recipe", () => {
    fc.assert(
      fc.property(arbitraryRecipe, (recipe) => {
        // The generator must only build valid recipes, or the property proves nothing.
        expect(ZPromptRecipe.safeParse(recipe).success).toBe(true);
        expect(parsePrompt(formatPrompt(recipe))).toEqual({ ok: true, recipe });
      }),
      { numRuns: 800 },
    );
  });

  it("(3) strings built from the parameter vocabulary never throw, and what parses is stable under format", () => {
    fc.assert(
      fc.property(vocabularyPrompt, (input) => {
        const result = parsePrompt(input);
        expectClean(result);
        // Idempotence: the canonical text of a parsed prompt parses to the same recipe.
        if (result.ok) expect(parsePrompt(formatPrompt(result.recipe))).toEqual(result);
      }),
      { numRuns: 1500 },
    );
  });

  it("(4) the vocabulary generator reaches both outcomes", () => {
    const results = fc.sample(vocabularyPrompt, { numRuns: 1000, seed: 7 }).map((input) => parsePrompt(input));
    const parsed = results.flatMap((result) => (result.ok ? [result.recipe] : []));
    expect(parsed.length).toBeGreaterThan(150);
    expect(results.length - parsed.length).toBeGreaterThan(150);
    // ...and the ok ones are not all trivial.
    expect(parsed.filter((recipe) => recipe.negativePrompt !== null).length).toBeGreaterThan(5);
    expect(parsed.filter((recipe) => recipe.personalize.codes.length > 1).length).toBeGreaterThan(5);
  });

  it("normalisation is idempotent, so stored text stays canonical", () => {
    fc.assert(
      fc.property(fc.oneof(trickyText, fc.string({ unit: "grapheme" })), (text) => {
        const once = normaliseText(text);
        expect(normaliseText(once)).toBe(once);
        expect(normaliseList(normaliseList(once))).toBe(normaliseList(once));
      }),
      { numRuns: 800 },
    );
  });
});

// ---- Generators -------------------------------------------------------------

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Canonical prompt text: arbitrary tricky text, normalised, kept when it is valid prompt text,
 * multi-prompt weights included (tricky text can make "::" with nothing around it, which the
 * recipe refuses; a seed in CI found it).
 */
const promptText = fc
  .oneof(trickyText, fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }))
  .map(normaliseText)
  .filter((text) => text.length > 0 && isCanonicalText(text) && multiPromptParts(text).ok);

const negativeText = fc
  .array(fc.oneof(trickyText, fc.string({ unit: "grapheme", maxLength: 20 })), { minLength: 1, maxLength: 4 })
  .map((items) => normaliseList(normaliseText(items.join(","))))
  .filter((text) => text.length > 0 && isCanonicalText(text));

const aspectRatio = fc
  .tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }))
  .filter(([width, height]) => gcd(width, height) === 1 && width <= 4 * height && height <= 4 * width)
  .map(([width, height]) => ({ width, height }));

const personalize = fc.oneof(
  fc.constant({ enabled: false, codes: [] as string[] }),
  fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,32}$/), { maxLength: 10 }).map((codes) => ({ enabled: true, codes })),
  // Weighted blends: hundredths from 0.01 to 100, not all equal.
  fc
    .uniqueArray(fc.stringMatching(/^[a-z0-9]{1,32}$/), { minLength: 2, maxLength: 10 })
    .chain((codes) => fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: codes.length, maxLength: codes.length }).map((hundredths) => ({ codes, hundredths })))
    .filter(({ hundredths }) => hundredths.some((value) => value !== hundredths[0]))
    .map(({ codes, hundredths }) => ({ enabled: true, codes, weights: hundredths.map((value) => value / 100) })),
);

const arbitraryRecipe: fc.Arbitrary<TPromptRecipe> = fc.record({
  prompt: promptText,
  negativePrompt: fc.option(negativeText, { nil: null }),
  aspectRatio: fc.oneof(fc.constant({ width: 1, height: 1 }), aspectRatio),
  stylize: fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 1000 })),
  chaos: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
  seed: fc.option(fc.integer({ min: 0, max: 4_294_967_295 }), { nil: null }),
  repeat: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })),
  draft: fc.boolean(),
  personalize,
  raw: fc.boolean(),
  imageWeight: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 300 }).map((hundredths) => hundredths / 100)),
  styleRefs: fc.uniqueArray(
    fc.record({
      ref: fc.oneof(
        fc.uuid().map((value) => ({ kind: "id" as const, value })),
        fc.stringMatching(/^[0-9]{1,20}$/).map((value) => ({ kind: "code" as const, value })),
        fc.stringMatching(/^[A-Za-z0-9_~.-]{1,30}$/).map((path) => ({ kind: "url" as const, value: `https://example.com/${path}.png` })),
        fc.constant({ kind: "random" as const, value: "random" }),
      ),
      hundredths: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 10_000 })),
    }).map(({ ref, hundredths }) => ({ ...ref, weight: hundredths / 100 })),
    { maxLength: 4, selector: (ref) => ref.value },
  ),
  styleWeight: fc.oneof(fc.constant(100), fc.integer({ min: 0, max: 1000 })),
  styleVersion: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
  quality: fc.constantFrom(0.25, 0.5, 1, 2, 4),
  stop: fc.oneof(fc.constant(100), fc.integer({ min: 10, max: 100 })),
  tile: fc.boolean(),
  weird: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })),
  exp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
  modelAlias: fc.constantFrom(null, "v6", "v6.1", "niji", "niji6"),
  mode: fc.constantFrom("turbo", "fast", "relax", null),
  version: fc.constant("7" as const),
  // Parameters Mirage leaves out, with the reason the parser gives each.
  ignored: fc.array(
    fc.tuple(fc.constantFrom(...IGNORED_REASONS.keys()), fc.constantFrom("", "100", "6", "1 2")).map(([name, value]) => ({ name: `--${name}`, value, reason: IGNORED_REASONS.get(name)! })),
    { maxLength: 3 },
  ),
});

/** Any value at all: edge numbers, non-decimal spellings, ratios, words, lists, tricky text. */
const junkValue = fc.oneof(
  fc.constant(""),
  fc.integer({ min: -10, max: 5_000_000_000 }).map(String),
  fc.constantFrom("0", "7", "40", "100", "1000", "4294967295", "4294967296", "2.5", "1e3", "0x10", "NaN", "Infinity", "-0", "+1", "007"),
  fc.tuple(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 0, max: 12_000 })).map(([w, h]) => `${w}:${h}`),
  fc.constantFrom("16:9", "1:4", "5:1", "raw", "RAW", "abc123", "abc123 def456", "a,b", "clouds, trees", ", ,", "on a mat"),
  trickyText,
);

const listItem = fc.oneof(trickyText, fc.constantFrom("clouds", "red birds", " trees ", ""));

/**
 * Values a user would plausibly give each parameter, mostly valid, so that the
 * generated prompts often get past every parameter and exercise the ok path
 * (normalisation, format round trip) and not only the first error.
 */
const plausibleValue: Record<string, fc.Arbitrary<string>> = {
  "--ar": fc.tuple(fc.integer({ min: 0, max: 10_001 }), fc.integer({ min: 0, max: 10_001 }), fc.constantFrom(":", " : ", ": ")).map(([w, h, sep]) => `${w}${sep}${h}`),
  "--stylize": fc.integer({ min: -1, max: 1001 }).map(String),
  "--chaos": fc.integer({ min: -1, max: 101 }).map(String),
  "--seed": fc.oneof(fc.integer({ min: 0, max: 4_294_967_295 }).map(String), fc.constantFrom("4294967296", "00042")),
  "--repeat": fc.integer({ min: 0, max: 41 }).map(String),
  // A small pool makes repeated codes (and case variants of them) likely.
  "--p": fc.array(fc.oneof(fc.constantFrom("abc", "ABC", "x9", "def456"), fc.stringMatching(/^[a-zA-Z0-9]{1,33}$/)), { maxLength: 11 }).chain((codes) => fc.constantFrom(" ", ",", ", ", " , ").map((sep) => codes.join(sep))),
  "--style": fc.constantFrom("raw", "RAW", "Raw", "cute"),
  "--no": fc.array(listItem, { maxLength: 5 }).map((items) => items.join(",")),
  "--v": fc.constantFrom("7", "7", "6.1", "8", "", "seven", "100"),
  "--sref": fc.array(fc.constantFrom("random", "RANDOM", "1234567890", "0190c1a2-7b3c-7d4e-8f90-123456789abc", "https://example.com/a.png", "http://x.y/a.png", "abc", "12::2", "random::0", "random::.5", "https://e.com/x::y.png::3"), { maxLength: 4 }).map((refs) => refs.join(" ")),
  "--q": fc.constantFrom(".25", "0.25", ".5", "1", "2", "4", "3", "0", "1.0", "8"),
  "--stop": fc.integer({ min: 0, max: 101 }).map(String),
  "--weird": fc.integer({ min: -1, max: 3001 }).map(String),
  "--exp": fc.integer({ min: -1, max: 101 }).map(String),
  "--niji": fc.constantFrom("", "6", "7", "x", "6.1"),
  "--sw": fc.integer({ min: -1, max: 1001 }).map(String),
  "--sv": fc.integer({ min: 0, max: 7 }).map(String),
  "--iw": fc.oneof(fc.integer({ min: 0, max: 310 }).map((hundredths) => String(hundredths / 100)), fc.constantFrom("0.5", ".25", "3.01", "1.", "1.234", "-1", "2")),
};

const knownParameter = fc.constantFrom(...PROMPT_PARAMETERS).chain((parameter) =>
  fc.tuple(
    fc.constantFrom(parameter.name, ...parameter.aliases),
    fc.oneof({ weight: 4, arbitrary: plausibleValue[parameter.name] ?? fc.constant("") }, { weight: 1, arbitrary: junkValue }),
  ),
);
const unknownParameter = fc.tuple(fc.constantFrom("--stylise", "--weird", "--foo", "--ar16:9", "--s250", "--x"), junkValue);

/** A parameter as typed: either dash style, any letter case. */
const typedParameter = fc
  .tuple(fc.oneof({ weight: 9, arbitrary: knownParameter }, { weight: 1, arbitrary: unknownParameter }), fc.constantFrom("--", "\u2014"), fc.boolean())
  .map(([[name, text], dash, upper]) => `${dash}${upper ? name.slice(2).toUpperCase() : name.slice(2)} ${text}`);

const vocabularyPrompt = fc
  .tuple(fc.oneof(fc.constant(""), fc.constant("a red house"), trickyText), fc.array(typedParameter, { maxLength: 5 }))
  .map(([prompt, parameters]) => [prompt, ...parameters].join(" "));
