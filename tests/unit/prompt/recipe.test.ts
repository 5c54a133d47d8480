import { describe, expect, it } from "vitest";
import { parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";

function parsed(input: string): TPromptRecipe {
  const result = parsePrompt(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.recipe;
}

const full = parsed("a fox --ar 16:9 --s 250 --c 40 --seed 42 --r 4 --p abc --raw --draft --relax --no rain, fog");

describe("ZPromptRecipe", () => {
  it("accepts what the parser produces, also after a JSON round trip (how Postgres stores it)", () => {
    expect(ZPromptRecipe.parse(full)).toEqual(full);
    expect(ZPromptRecipe.parse(JSON.parse(JSON.stringify(full)))).toEqual(full);
    expect(ZPromptRecipe.parse(parsed("a cat"))).toEqual(parsed("a cat"));
  });

  it("drops unknown keys so a field removed later does not break old rows", () => {
    expect(ZPromptRecipe.parse({ ...full, retired: 3 })).toEqual(full);
  });

  it("reads recipes stored before --iw existed as the default image weight", () => {
    const { imageWeight, ...older } = parsed("a cat --iw 2.5");
    expect(imageWeight).toBe(2.5);
    expect(ZPromptRecipe.parse(older).imageWeight).toBe(1);
  });

  // Each case is a recipe the parser could never produce; the schema must refuse
  // it so that stored recipes stay canonical and formatPrompt round-trips.
  it.each<[string, Record<string, unknown>]>([
    ["empty prompt", { prompt: "" }],
    ["prompt over 2000 characters", { prompt: "x".repeat(2001) }],
    ["prompt with a parameter in it", { prompt: "a cat --ar 16:9" }],
    ["image weight over 3", { imageWeight: 3.01 }],
    ["image weight below 0", { imageWeight: -0.5 }],
    ["image weight finer than hundredths", { imageWeight: 1.005 }],
    ["prompt with an em-dash parameter", { prompt: "a cat \u2014seed 1" }],
    ["prompt with a parameter after a comma", { prompt: "a cat,--ar 16:9" }],
    ["negative prompt with an item that is a parameter", { negativePrompt: "a, \u2014b" }],
    ["prompt with double spaces", { prompt: "a  cat" }],
    ["untrimmed prompt", { prompt: " a cat" }],
    ["prompt not in NFC", { prompt: "cafe\u0301" }],
    ["prompt with a control character", { prompt: "a\u0007cat" }],
    ["prompt with a newline", { prompt: "a\ncat" }],
    ["empty negative prompt", { negativePrompt: "" }],
    ["negative prompt not normalised", { negativePrompt: "rain,fog" }],
    ["negative prompt with an empty item", { negativePrompt: "rain, , fog" }],
    ["negative prompt over 1000 characters", { negativePrompt: "x".repeat(1001) }],
    ["unreduced aspect ratio", { aspectRatio: { width: 32, height: 18 } }],
    ["aspect ratio past 4:1", { aspectRatio: { width: 5, height: 1 } }],
    ["aspect ratio past 1:4", { aspectRatio: { width: 1, height: 5 } }],
    ["zero aspect side", { aspectRatio: { width: 0, height: 1 } }],
    ["fractional stylize", { stylize: 2.5 }],
    ["stylize over 1000", { stylize: 1001 }],
    ["chaos over 100", { chaos: 101 }],
    ["negative seed", { seed: -1 }],
    ["seed over 32 bits", { seed: 4294967296 }],
    ["repeat 0", { repeat: 0 }],
    ["repeat over 40", { repeat: 41 }],
    ["codes while disabled", { personalize: { enabled: false, codes: ["abc"] } }],
    ["upper-case code", { personalize: { enabled: true, codes: ["ABC"] } }],
    ["repeated code", { personalize: { enabled: true, codes: ["abc", "abc"] } }],
    ["eleven codes", { personalize: { enabled: true, codes: "abcdefghijk".split("") } }],
    ["one weight for two codes", { personalize: { enabled: true, codes: ["abc", "def"], weights: [2] } }],
    ["equal weights (an equal blend has none)", { personalize: { enabled: true, codes: ["abc", "def"], weights: [2, 2] } }],
    ["zero weight", { personalize: { enabled: true, codes: ["abc", "def"], weights: [0, 1] } }],
    ["weight finer than hundredths", { personalize: { enabled: true, codes: ["abc", "def"], weights: [0.125, 1] } }],
    ["weight over 100", { personalize: { enabled: true, codes: ["abc", "def"], weights: [101, 1] } }],
    ["unknown mode", { mode: "slow" }],
    ["other version", { version: "6" }],
    ["missing field", { draft: undefined }],
  ])("rejects %s", (_case, change) => {
    expect(ZPromptRecipe.safeParse({ ...full, ...change }).success).toBe(false);
  });
});
