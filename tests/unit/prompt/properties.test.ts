import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPrompt, parsePrompt, PROMPT_PARAMETERS, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import { INTERNAL_ERROR_MESSAGE, type TParseResult } from "@/lib/prompt/parse";
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
    const samples = fc.sample(vocabularyPrompt, { numRuns: 500, seed: 7 }).map((input) => parsePrompt(input).ok);
    expect(samples.filter(Boolean).length).toBeGreaterThan(25);
    expect(samples.filter((ok) => !ok).length).toBeGreaterThan(25);
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

/** Canonical prompt text: arbitrary tricky text, normalised, kept when it is valid prompt text. */
const promptText = fc
  .oneof(trickyText, fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }))
  .map(normaliseText)
  .filter((text) => text.length > 0 && isCanonicalText(text));

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
  mode: fc.constantFrom("turbo", "fast", "relax", null),
  version: fc.constant("7" as const),
});

/** Every accepted spelling, some unknown ones and case/dash variants of all of them. */
const names = [...PROMPT_PARAMETERS.flatMap((parameter) => [parameter.name, ...parameter.aliases]), "--stylise", "--weird", "--foo", "--ar16:9", "--s250"];
const parameterName = fc
  .tuple(fc.constantFrom(...names), fc.constantFrom("--", "\u2014"), fc.boolean())
  .map(([name, dash, upper]) => dash + (upper ? name.slice(2).toUpperCase() : name.slice(2)));

const value = fc.oneof(
  fc.constant(""),
  fc.integer({ min: -10, max: 5_000_000_000 }).map(String),
  fc.constantFrom("0", "7", "40", "100", "1000", "4294967295", "4294967296", "2.5", "1e3", "0x10", "NaN", "Infinity", "-0", "+1", "007"),
  fc.tuple(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 0, max: 12_000 })).map(([w, h]) => `${w}:${h}`),
  fc.constantFrom("16:9", "1:4", "5:1", "raw", "RAW", "abc123", "abc123 def456", "a,b", "clouds, trees", ", ,", "on a mat"),
  trickyText,
);

const vocabularyPrompt = fc
  .tuple(fc.oneof(fc.constant(""), fc.constant("a red house"), trickyText), fc.array(fc.tuple(parameterName, value), { maxLength: 6 }))
  .map(([prompt, parameters]) => [prompt, ...parameters.map(([name, text]) => `${name} ${text}`)].join(" "));
