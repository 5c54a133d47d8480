import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REWRITE_INTERNAL_ERROR_MESSAGE, type TRewriteResult } from "@/lib/draft";
import { formatPrompt, parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";
import { MIRAGE_TINY, rewriteTiny } from "./mirage-tiny";

// Properties over generated utterances and starting recipes. Run counts keep the
// file around a second.

const STARTS = [
  "a large red house on the left, under a sunset sky, muted colours",
  "a star over a boat at sea",
  "a Wookie dressed up like a samurai, holding a blue lightsaber",
  "a small green tree and a yellow sun at the top, in the snow, ink outline, detailed",
  "a dog wearing sunglasses",
  "A Cat, gouache",
  "still life",
  "an orange fish above the sea, vivid colours, vivid colours",
  "moon",
  "a cat\u2014dog hybrid, 1990 - 2000, caf\u00e9 \u{1F431}",
];

const settings = fc.record({
  ar: fc.constantFrom("", " --ar 16:9", " --ar 2:3", " --ar 9:16", " --ar 4:3", " --ar 1:4"),
  stylize: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
  chaos: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  seed: fc.option(fc.integer({ min: 0, max: 4_294_967_295 }), { nil: null }),
  repeat: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  flags: fc.subarray([" --draft", " --raw", " --p", " --relax"]),
  no: fc.constantFrom("", " --no clouds", " --no sun, trees", " --no text, moon, cloud"),
});

const promptText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...STARTS) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }) },
);

/** Valid starting recipes: prompt text plus any mix of parameters, parsed (invalid text is skipped). */
const startingRecipe: fc.Arbitrary<TPromptRecipe> = fc
  .tuple(promptText, settings)
  .map(([text, s]) => {
    const parameters = [
      s.ar,
      s.stylize === null ? "" : ` --s ${s.stylize}`,
      s.chaos === null ? "" : ` --c ${s.chaos}`,
      s.seed === null ? "" : ` --seed ${s.seed}`,
      s.repeat === null ? "" : ` --r ${s.repeat}`,
      ...s.flags,
      s.no,
    ].join("");
    return parsePrompt(`${text}${parameters}`);
  })
  .filter((result) => result.ok)
  .map((result) => (result.ok ? result.recipe : (undefined as never)));

const WORDS = [
  "make", "it", "the", "house", "boat", "wookie", "red", "blue", "dark", "bigger", "smaller", "add", "a", "an", "moon", "remove",
  "no", "without", "clouds", "at", "sunset", "night", "on", "snow", "sea", "more", "less", "too", "muted", "vivid", "warmer",
  "ink", "outline", "flat", "detailed", "move", "to", "left", "top", "centre", "wide", "tall", "portrait", "square", "swap",
  "for", "instead", "of", "can", "be", "holding", "standing", "spaceship", "please", "and", "then", ",", "?", "!", "--ar",
  "16:9", "\u2014no", "--", "\u2014", "'", "\u201c", "e\u0301", "\u{1F431}", "\u0000", "\t", "\n", "\ud800", "0:0", "99999:1",
];

const wordSalad = fc.array(fc.constantFrom(...WORDS), { maxLength: 14 }).map((words) => words.join(" "));

const TEMPLATE_PARTS = {
  verb: ["make", "can", "could you make", "please make", "turn", "put", "move", "add", "remove", "no", "swap", "I want", "what if"],
  target: ["it", "the house", "the boat", "the Wookie", "the moon", "the background", "everything", "a moon", "the sky"],
  complement: [
    "red", "dark blue", "bigger", "smaller", "at sunset", "night", "on the snow", "to the left", "at the top", "in the centre",
    "more muted", "less detailed", "warmer", "ink outline", "wide", "portrait", "square", "a boat", "for an owl", "with a boat",
    "holding a blue lightsaber", "on a spaceship", "be standing on a spaceship",
  ],
};

const template = fc
  .tuple(fc.constantFrom(...TEMPLATE_PARTS.verb), fc.constantFrom(...TEMPLATE_PARTS.target), fc.constantFrom(...TEMPLATE_PARTS.complement), fc.constantFrom("", "?", " please", ", thanks"))
  .map((parts) => parts.join(" ").replace(/ ([?,])/, "$1"));

const utterance = fc.oneof(
  { weight: 3, arbitrary: template },
  { weight: 3, arbitrary: wordSalad },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 120 }) },
);

function fixedSettings(recipe: TPromptRecipe) {
  const { prompt: _prompt, negativePrompt: _negative, aspectRatio: _aspect, ...rest } = recipe;
  return rest;
}

function noList(list: string | null): string[] {
  return list === null ? [] : list.split(", ");
}

function expectWellFormed(current: TPromptRecipe, said: string, result: TRewriteResult): void {
  expect(ZPromptRecipe.safeParse(result.recipe).success).toBe(true);
  expect(result.prompt).toBe(formatPrompt(result.recipe));
  expect(parsePrompt(result.prompt)).toEqual({ ok: true, recipe: result.recipe });
  expect(result.source).toBe("rules");
  expect(result.message).not.toBe(REWRITE_INTERNAL_ERROR_MESSAGE);
  // Everything but the text, --no and --ar is the user's, always.
  expect(fixedSettings(result.recipe)).toEqual(fixedSettings(current));
  if (!result.intents.includes("aspect")) expect(result.recipe.aspectRatio).toEqual(current.aspectRatio);
  // --no grows only on a removal; otherwise it can only lose what was asked for again.
  if (!result.intents.includes("remove")) expect(noList(current.negativePrompt)).toEqual(expect.arrayContaining(noList(result.recipe.negativePrompt)));
  if (result.understood) {
    expect(result.intents.length).toBeGreaterThan(0);
    expect(result.intents).not.toContain("unknown");
  } else {
    expect(result.recipe).toBe(current);
    expect(result.intents).toEqual(["unknown"]);
    expect(result.changes).toEqual([]);
    expect(result.message, said).toBeTruthy();
  }
}

describe("rewritePrompt: properties", () => {
  it("never throws; always a valid recipe that keeps the user's parameters", () => {
    fc.assert(
      fc.property(startingRecipe, utterance, (current, said) => {
        expectWellFormed(current, said, rewriteTiny(current, said));
      }),
      { numRuns: 700 },
    );
    // 700 runs take 4–6 s on a loaded two-core machine since the rules also correct typos and ask compromise about words.
  }, 20_000);

  it("is deterministic and does not modify its input", () => {
    fc.assert(
      fc.property(startingRecipe, utterance, (current, said) => {
        const before = structuredClone(current);
        const first = rewriteTiny(current, said);
        expect(rewriteTiny(current, said)).toEqual(first);
        expect(current).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("saying the same thing twice changes nothing the second time (except removals, which then go to --no)", () => {
    const settled = fc.tuple(
      fc.constantFrom(...TEMPLATE_PARTS.verb.filter((verb) => !["remove", "no", "swap", "add"].includes(verb))),
      fc.constantFrom("it", "the house", "the boat"),
      fc.constantFrom(...TEMPLATE_PARTS.complement.filter((complement) => !/^(?:a |for |with )/.test(complement))),
    ).map((parts) => parts.join(" "));
    fc.assert(
      fc.property(startingRecipe, settled, (current, said) => {
        const once = rewriteTiny(current, said);
        const twice = rewriteTiny(once.recipe, said);
        expect(twice.recipe).toEqual(once.recipe);
      }),
      { numRuns: 300 },
    );
  });

  it("handles very long utterances and prompts without failing or growing past the limits", () => {
    const long = parsePrompt(`${"a red house ".repeat(160).trim()} --ar 16:9`);
    if (!long.ok) throw new Error(long.error.message);
    for (const said of ["add " + "a moon and ".repeat(300), "make it night", "x".repeat(20_000), "no " + "clouds, ".repeat(400)]) {
      expectWellFormed(long.recipe, said, rewriteTiny(long.recipe, said));
    }
  });

  it("rejects nothing the vocabulary can say on its own", () => {
    // Every style, background and aspect word is understood as a bare request.
    const recipe = parsePrompt("a red house").ok ? (parsePrompt("a red house") as { recipe: TPromptRecipe }).recipe : (undefined as never);
    const words = [
      ...MIRAGE_TINY.styleAxes.flatMap((axis) => [...axis.words.negative, ...axis.words.positive]),
      ...MIRAGE_TINY.backgrounds.flatMap((background) => background.words),
      ...MIRAGE_TINY.aspects.flatMap((aspect) => aspect.words),
    ];
    const missed = words.filter((word) => !rewriteTiny(recipe, word).understood);
    expect(missed).toEqual([]);
  });
});
