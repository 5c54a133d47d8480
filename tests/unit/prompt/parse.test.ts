import { describe, expect, it } from "vitest";
import { formatPrompt, parsePrompt, type TPromptRecipe } from "@/lib/prompt";

/** The recipe of a prompt with no parameters, written out here rather than imported so the defaults are tested too. */
function recipe(prompt: string, settings: Partial<TPromptRecipe> = {}): TPromptRecipe {
  return {
    prompt,
    negativePrompt: null,
    aspectRatio: { width: 1, height: 1 },
    stylize: 100,
    chaos: 0,
    seed: null,
    repeat: 1,
    draft: false,
    personalize: { enabled: false, codes: [] },
    raw: false,
    imageWeight: 1,
    styleRefs: [],
    styleWeight: 100,
    styleVersion: null,
    quality: 1,
    stop: 100,
    tile: false,
    weird: 0,
    exp: 0,
    modelAlias: null,
    mode: null,
    version: "7",
    ignored: [],
    ...settings,
  };
}

const HOUSE = "a large red house on the left under a sunset sky";

describe("parsePrompt: good prompts", () => {
  it.each<[string, TPromptRecipe]>([
    [`${HOUSE} --ar 16:9`, recipe(HOUSE, { aspectRatio: { width: 16, height: 9 } })],
    ["still life, gouache --no clouds, trees", recipe("still life, gouache", { negativePrompt: "clouds, trees" })],
    [
      "a fox in snow --s 250 --c 40 --seed 42 --r 4 --draft --relax",
      recipe("a fox in snow", { stylize: 250, chaos: 40, seed: 42, repeat: 4, draft: true, mode: "relax" }),
    ],
    ["portrait --p abc123 def456", recipe("portrait", { personalize: { enabled: true, codes: ["abc123", "def456"] } })],
    ["city at night --v 7 --raw", recipe("city at night", { raw: true })],
    // The whole vocabulary, long names and aliases.
    ["a cat", recipe("a cat")],
    ["a cat --aspect 32:18", recipe("a cat", { aspectRatio: { width: 16, height: 9 } })],
    ["a cat --ar 2 : 3", recipe("a cat", { aspectRatio: { width: 2, height: 3 } })],
    ["a cat --ar 4:1", recipe("a cat", { aspectRatio: { width: 4, height: 1 } })],
    ["a cat --ar 1:4", recipe("a cat", { aspectRatio: { width: 1, height: 4 } })],
    ["a cat --ar 10000:10000", recipe("a cat")],
    ["a cat --stylize 0 --chaos 100", recipe("a cat", { stylize: 0, chaos: 100 })],
    ["a cat --stylize 1000 --seed 4294967295", recipe("a cat", { stylize: 1000, seed: 4294967295 })],
    ["a cat --seed 0", recipe("a cat", { seed: 0 })],
    ["a cat --s 007", recipe("a cat", { stylize: 7 })],
    ["a cat --repeat 40", recipe("a cat", { repeat: 40 })],
    ["a cat --p", recipe("a cat", { personalize: { enabled: true, codes: [] } })],
    ["a cat --personalize a,b, c", recipe("a cat", { personalize: { enabled: true, codes: ["a", "b", "c"] } })],
    ["a cat --p ABC abc x9", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "x9"] } })],
    // Weighted blends (`CODE::w`, default 1); a repeated code counts once; equal weights are an equal blend.
    ["a cat --p abc::2 def::1", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "def"], weights: [2, 1] } })],
    ["a cat --p abc::0.5, DEF", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "def"], weights: [0.5, 1] } })],
    ["a cat --p a::.25 b::100 c::1.5", recipe("a cat", { personalize: { enabled: true, codes: ["a", "b", "c"], weights: [0.25, 100, 1.5] } })],
    ["a cat --p abc def::2 ABC::3 abc", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "def"], weights: [3, 2] } })],
    ["a cat --p abc::2 def::1 abc::2 abc", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "def"], weights: [2, 1] } })],
    ["a cat --p abc::3 def::3", recipe("a cat", { personalize: { enabled: true, codes: ["abc", "def"] } })],
    ["a cat --p abc::7", recipe("a cat", { personalize: { enabled: true, codes: ["abc"] } })],
    // Image-prompt weight: 0–3 in hundredths; 1 (the default) is not written back.
    ["a cat --iw 2", recipe("a cat", { imageWeight: 2 })],
    ["a cat --iw 0", recipe("a cat", { imageWeight: 0 })],
    ["a cat --iw .25", recipe("a cat", { imageWeight: 0.25 })],
    ["a cat --iw 2.75", recipe("a cat", { imageWeight: 2.75 })],
    ["a cat --iw 1", recipe("a cat")],
    ["a cat --style RAW", recipe("a cat", { raw: true })],
    ["a cat --version 7", recipe("a cat")],
    ["a cat --turbo", recipe("a cat", { mode: "turbo" })],
    ["a cat --fast", recipe("a cat", { mode: "fast" })],
    // Names are case-insensitive; the phone's em dash works as `--`.
    ["a cat --AR 3:2 --Fast", recipe("a cat", { aspectRatio: { width: 3, height: 2 }, mode: "fast" })],
    ["a fox \u2014ar 3:2 \u2014s 50 \u2014no rain", recipe("a fox", { aspectRatio: { width: 3, height: 2 }, stylize: 50, negativePrompt: "rain" })],
    // --no runs until the next parameter; its list is normalised.
    ["a cat --no dogs --ar 16:9", recipe("a cat", { negativePrompt: "dogs", aspectRatio: { width: 16, height: 9 } })],
    ["a cat --no  red  birds ,, dogs ,cows,", recipe("a cat", { negativePrompt: "red birds, dogs, cows" })],
    // Text normalisation: whitespace of every kind collapses, NFC composes.
    ["  a\tcat \n\n on\u00a0a   mat \r\n--ar 2:3  ", recipe("a cat on a mat", { aspectRatio: { width: 2, height: 3 } })],
    ["cafe\u0301 terrace", recipe("caf\u00e9 terrace")],
    // Prose dashes are not parameters: no word boundary, or no letter after.
    ["a cat\u2014dog hybrid -- watercolor, 1990 \u2014 2000, well-known--thing, --- ---7", recipe("a cat\u2014dog hybrid -- watercolor, 1990 \u2014 2000, well-known--thing, --- ---7")],
    // A comma is a word boundary too (see text.ts for why).
    ["a cat,--ar 2:3", recipe("a cat,", { aspectRatio: { width: 2, height: 3 } })],
    ["a cat --no dogs,\u2014seed 3", recipe("a cat", { negativePrompt: "dogs", seed: 3 })],
    ["emoji \u{1F431} and \u4E2D\u6587 --seed 1", recipe("emoji \u{1F431} and \u4E2D\u6587", { seed: 1 })],
    [`${"x".repeat(2000)} --s 5`, recipe("x".repeat(2000), { stylize: 5 })],
    // 2000 characters means 2000 code points, so emoji count once.
    ["\u{1F431}".repeat(2000), recipe("\u{1F431}".repeat(2000))],
  ])("%j", (input, expected) => {
    expect(parsePrompt(input)).toEqual({ ok: true, recipe: expected });
  });

  it("accepts --repeat up to the plan's cap", () => {
    expect(parsePrompt("a cat --r 4", { maxRepeat: 4 })).toEqual({ ok: true, recipe: recipe("a cat", { repeat: 4 }) });
  });

  it("ignores a plan cap that is missing, above 40 or nonsensical", () => {
    for (const maxRepeat of [undefined, 100, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(parsePrompt("a cat --r 40", { maxRepeat }).ok).toBe(true);
    }
    expect(parsePrompt("a cat --r 1", { maxRepeat: -3 }).ok).toBe(true);
  });

  it("hands out independent objects", () => {
    const first = parsePrompt("a cat");
    const second = parsePrompt("a cat");
    if (!first.ok || !second.ok) throw new Error("expected both to parse");
    first.recipe.personalize.codes.push("mutated");
    first.recipe.aspectRatio.width = 9;
    expect(second.recipe).toEqual(recipe("a cat"));
  });
});

const CHAOS_250 = "--chaos must be a whole number from 0 to 100 (got 250).";
const STYLIZE_RANGE = "a whole number from 0 to 1000";
const AR_RULE = "W:H with whole numbers from 1 to 10000 and a ratio from 1:4 to 4:1, e.g. 16:9";
const EMPTY = "The prompt is empty: describe the image first, then add any --parameters after it.";
const UNDERSTANDS = "Mirage understands --ar, --stylize, --chaos, --seed, --repeat, --p, --iw, --sref, --sw, --sv, --raw, --style, --draft, --turbo, --fast, --relax, --no, --q, --stop, --tile, --weird, --exp, --v and --niji.";

describe("parsePrompt: bad prompts", () => {
  it.each<[string, string | null, string]>([
    ["a cat --chaos 250", "--chaos", CHAOS_250],
    ["a cat --c 101", "--chaos", "--c must be a whole number from 0 to 100 (got 101)."],
    ["a cat --stylise 250", "--stylise", "Unknown parameter --stylise. Did you mean --stylize?"],
    ["a cat \u2014stylise 250", "--stylise", "Unknown parameter --stylise. Did you mean --stylize?"],
    ["a cat --rwa", "--rwa", "Unknown parameter --rwa. Did you mean --raw?"],
    ["a cat --ar16:9", "--ar16:9", "Unknown parameter --ar16:9. Did you mean --ar 16:9?"],
    ["a cat --seed42", "--seed42", "Unknown parameter --seed42. Did you mean --seed 42?"],
    ["a cat --x9 1", "--x9", `Unknown parameter --x9. ${UNDERSTANDS}`],
    ["a cat --p caf\u00e9", "--p", "--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got caf\u00e9)."],
    [`a cat --${"y".repeat(100)}`, `--${"y".repeat(37)}…`, `Unknown parameter --${"y".repeat(37)}…. ${UNDERSTANDS}`],
    ["a cat --iw 3.5", "--iw", "--iw must be a number from 0 to 3 with at most two decimals, e.g. --iw 1.5 (got 3.5)."],
    ["a cat --iw 1.234", "--iw", "--iw must be a number from 0 to 3 with at most two decimals, e.g. --iw 1.5 (got 1.234)."],
    ["a cat --iw -1", "--iw", "--iw must be a number from 0 to 3 with at most two decimals, e.g. --iw 1.5 (got -1)."],
    ["a cat --iw", "--iw", "--iw needs a value: a number from 0 to 3 with at most two decimals, e.g. --iw 1.5."],
    ["a cat --iw 1 --iw 2", "--iw", "--iw given twice."],
    // Repeats and conflicts.
    ["a cat --seed 1 --seed 2", "--seed", "--seed given twice."],
    ["a cat --s 1 --stylize 2", "--stylize", "--stylize given twice (as --s and --stylize)."],
    ["a cat --draft --draft", "--draft", "--draft given twice."],
    ["a cat --raw --style raw", "--style", "--raw and --style mean the same thing: give only one."],
    ["a cat --fast --relax", "--relax", "--fast and --relax conflict: choose one speed mode (--turbo, --fast or --relax)."],
    ["a cat --turbo --fast", "--fast", "--turbo and --fast conflict: choose one speed mode (--turbo, --fast or --relax)."],
    ["a cat --relax --relax", "--relax", "--relax given twice."],
    // Numbers are plain decimals.
    ["a cat --s NaN", "--stylize", `--s must be ${STYLIZE_RANGE} (got NaN).`],
    ["a cat --s Infinity", "--stylize", `--s must be ${STYLIZE_RANGE} (got Infinity).`],
    ["a cat --s 0x10", "--stylize", `--s must be ${STYLIZE_RANGE} (got 0x10).`],
    ["a cat --s 1e3", "--stylize", `--s must be ${STYLIZE_RANGE} (got 1e3).`],
    ["a cat --s -1", "--stylize", `--s must be ${STYLIZE_RANGE} (got -1).`],
    ["a cat --s +5", "--stylize", `--s must be ${STYLIZE_RANGE} (got +5).`],
    ["a cat --s 2.5", "--stylize", `--s must be ${STYLIZE_RANGE} (got 2.5).`],
    ["a cat --s 1,000", "--stylize", `--s must be ${STYLIZE_RANGE} (got 1,000).`],
    ["a cat --s \uFF12\uFF15\uFF10", "--stylize", `--s must be ${STYLIZE_RANGE} (got \uFF12\uFF15\uFF10).`],
    ["a cat --s 250 300", "--stylize", `--s must be ${STYLIZE_RANGE} (got "250 300").`],
    ["a cat --s", "--stylize", `--s needs a value: ${STYLIZE_RANGE}.`],
    ["a cat --stylize --chaos 5", "--stylize", `--stylize needs a value: ${STYLIZE_RANGE}.`],
    ["a cat --seed 4294967296", "--seed", "--seed must be a whole number from 0 to 4294967295 (got 4294967296)."],
    ["a cat --seed 99999999999999999999999", "--seed", "--seed must be a whole number from 0 to 4294967295 (got 99999999999999999999999)."],
    ["a cat --r 0", "--repeat", "--r must be a whole number from 1 to 40 (got 0)."],
    ["a cat --repeat 41", "--repeat", "--repeat must be a whole number from 1 to 40 (got 41)."],
    // Aspect ratio.
    ["a cat --ar", "--ar", `--ar needs a value: ${AR_RULE}.`],
    ["a cat --ar 16x9", "--ar", `--ar must be ${AR_RULE} (got 16x9).`],
    ["a cat --ar 16:", "--ar", `--ar must be ${AR_RULE} (got 16:).`],
    ["a cat --ar 0:1", "--ar", `--ar must be ${AR_RULE} (got 0:1).`],
    ["a cat --ar 1.5:1", "--ar", `--ar must be ${AR_RULE} (got 1.5:1).`],
    ["a cat --ar 10001:10000", "--ar", `--ar must be ${AR_RULE} (got 10001:10000).`],
    ["a cat --ar 16:9 on a mat", "--ar", `--ar must be ${AR_RULE} (got "16:9 on a mat").`],
    ["a cat --ar 5:1", "--ar", "--ar 5:1 is too extreme: the ratio must be from 1:4 to 4:1."],
    ["a cat --aspect 1:5", "--ar", "--aspect 1:5 is too extreme: the ratio must be from 1:4 to 4:1."],
    // Flags take no value: usually prompt text typed after a parameter.
    ["a cat --draft on a mat", "--draft", '--draft takes no value (got "on a mat"). Put the prompt text before the parameters.'],
    ["a cat --raw yes", "--raw", "--raw takes no value (got yes). Put the prompt text before the parameters."],
    // Lists.
    ["a cat --no", "--no", "--no needs a value: words or phrases to leave out, comma-separated, e.g. --no clouds, trees."],
    ["a cat --no ,\u2014a", "--no", "--no needs a value: words or phrases to leave out, comma-separated, e.g. --no clouds, trees."],
    ["a cat --no , ,", "--no", "--no needs a value: words or phrases to leave out, comma-separated, e.g. --no clouds, trees."],
    [`a cat --no ${"x".repeat(1001)}`, "--no", "--no is too long: at most 1000 characters (got 1001)."],
    ["a cat --p ab-c", "--p", "--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got ab-c)."],
    ["a cat --p ,", "--p", "--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got ,)."],
    [`a cat --p ${"a".repeat(33)}`, "--p", `--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got ${"a".repeat(33)}).`],
    [`a cat --p ${"a".repeat(60)}`, "--p", `--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got ${"a".repeat(39)}…).`],
    ["a cat --p a b c d e f g h i j k", "--p", "--p takes at most 10 profile codes (got 11)."],
    ["a cat --p abc::0 def", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got 0)."],
    ["a cat --p abc::-1 def", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got -1)."],
    ["a cat --p abc::101", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got 101)."],
    ["a cat --p abc::1.255", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got 1.255)."],
    ["a cat --p abc::two", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got two)."],
    ["a cat --p abc::1e2", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got 1e2)."],
    ["a cat --p abc::", "--p", '--p weight of abc is missing after "::", e.g. abc::2.'],
    ["a cat --p abc::2::3", "--p", "--p weight of abc must be a number from 0.01 to 100 with at most two decimals, e.g. abc::2 (got 2::3)."],
    ["a cat --p ::2", "--p", "--p codes are 1–32 letters a–z and digits, separated by spaces or commas (got ::2)."],
    ["a cat --p abc::2 def abc::0.5", "--p", "--p gives abc twice with different weights (2 and 0.5); give it once."],
    ["a cat --style expressive", "--style", "--style must be raw, the only style Mirage offers (got expressive)."],
    ["a cat --style", "--style", "--style needs a value: raw."],
    // Version.
    ["a cat --v 6.12", "--v", "--v must be a version number such as 7 or 6.1 (got 6.12)."],
    ["a cat --version seven", "--v", "--version must be a version number such as 7 or 6.1 (got seven)."],
    ["a cat --v", "--v", "--v must be a version number such as 7 or 6.1 (got nothing)."],
    ["a cat --v 6 --niji", "--niji", "--v and --niji conflict: choose one model (--v or --niji)."],
    ["a cat --q 3", "--q", "--q must be .25, .5, 1, 2 or 4 (got 3)."],
    ["a cat --stop 9", "--stop", "--stop must be a whole number from 10 to 100 (got 9)."],
    ["a cat --weird 3001", "--weird", "--weird must be a whole number from 0 to 3000 (got 3001)."],
    ["a cat --exp 101", "--exp", "--exp must be a whole number from 0 to 100 (got 101)."],
    ["a cat --tile 2", "--tile", "--tile takes no value (got 2). Put the prompt text before the parameters."],
    ["cat::-2 dog", null, "Multi-prompt weights must add up to more than 0; these add up to -1. Raise a positive weight or lower a negative one."],
    ["cat::0.4 dog::0.1 --no fur", null, "Multi-prompt weights must add up to more than 0 (--no counts as −0.5); these add up to 0. Raise a positive weight or lower a negative one."],
    // The prompt text itself.
    ["", null, EMPTY],
    ["   \n\t ", null, EMPTY],
    ["--ar 16:9", null, EMPTY],
    ["\u2014ar 16:9 a cat", null, EMPTY],
    ["x".repeat(2001), null, "The prompt is too long: at most 2000 characters before the parameters (got 2001)."],
    [`${"ab ".repeat(700)}--ar 1:1`, null, "The prompt is too long: at most 2000 characters before the parameters (got 2099)."],
    ["x".repeat(10_001), null, "The prompt is too long: at most 10000 characters including parameters (got 10001)."],
    // Control characters are rejected (not stripped); tabs and line breaks are just whitespace.
    ["a\u0007cat", null, "The prompt contains a control character (U+0007) at position 2. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["\u{1F431}\u0000", null, "The prompt contains a control character (U+0000) at position 2. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["a cat --no dogs\u001b[31m", null, "The prompt contains a control character (U+001B) at position 16. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["a\u007fcat", null, "The prompt contains a control character (U+007F) at position 2. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["a\u0085cat", null, "The prompt contains a control character (U+0085) at position 2. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["a\uD800cat", null, "The prompt contains a broken character (an unpaired UTF-16 surrogate) (U+D800) at position 2. Remove it; only letters, symbols, spaces and line breaks are allowed."],
    ["a cat\uDC00", null, "The prompt contains a broken character (an unpaired UTF-16 surrogate) (U+DC00) at position 6. Remove it; only letters, symbols, spaces and line breaks are allowed."],
  ])("%j", (input, parameter, message) => {
    expect(parsePrompt(input)).toEqual({ ok: false, error: { parameter, message } });
  });

  it("applies the plan's --repeat cap and says so", () => {
    expect(parsePrompt("a cat --r 5", { maxRepeat: 4 })).toEqual({
      ok: false,
      error: { parameter: "--repeat", message: "--r must be a whole number from 1 to 4 on your plan (got 5)." },
    });
    expect(parsePrompt("a cat --r", { maxRepeat: 2 })).toEqual({
      ok: false,
      error: { parameter: "--repeat", message: "--r needs a value: a whole number from 1 to 2 on your plan." },
    });
  });

  it("reports the leftmost problem first", () => {
    expect(parsePrompt("--c 500")).toMatchObject({ ok: false, error: { parameter: null } });
    expect(parsePrompt("a cat --c 500 --stylise 1")).toMatchObject({ ok: false, error: { parameter: "--chaos" } });
    expect(parsePrompt("a cat --stylise 1 --c 500")).toMatchObject({ ok: false, error: { parameter: "--stylise" } });
  });

  it("answers non-string input from untyped callers with an error", () => {
    for (const input of [undefined, null, 42, {}, ["a cat"]]) {
      expect(parsePrompt(input as unknown as string)).toEqual({ ok: false, error: { parameter: null, message: "The prompt must be text." } });
    }
  });
});

describe("parsePrompt: parameters Mirage does not apply", () => {
  it("lists Midjourney parameters it does not apply, with the reason, and still reads the prompt", () => {
    const parsed = parsePrompt("a cat --ar 16:9 --oref 100 --video --hd --s 250");
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.recipe).toMatchObject({ prompt: "a cat", aspectRatio: { width: 16, height: 9 }, stylize: 250 });
    expect(parsed.recipe.ignored).toEqual([
      { name: "--oref", value: "100", reason: expect.stringMatching(/not available in Mirage yet/) },
      { name: "--video", value: "", reason: expect.stringMatching(/still images/) },
      { name: "--hd", value: "", reason: expect.stringMatching(/older Midjourney models/) },
    ]);
    expect(formatPrompt(parsed.recipe)).toBe("a cat --ar 16:9 --stylize 250 --oref 100 --video --hd");
  });

  it("leaves out a plain unknown name (a newer Midjourney parameter) but refuses a likely typo", () => {
    const parsed = parsePrompt("a cat --foo 1");
    expect(parsed.ok && parsed.recipe.ignored).toEqual([{ name: "--foo", value: "1", reason: expect.stringMatching(/not a parameter Mirage knows/) }]);
    expect(parsePrompt("a cat --stylise 250")).toMatchObject({ ok: false, error: { parameter: "--stylise" } });
  });

  it("refuses an ignored parameter whose value is too long to keep", () => {
    expect(parsePrompt(`a cat --motion ${"x".repeat(201)}`)).toMatchObject({ ok: false, error: { parameter: "--motion" } });
  });
});
