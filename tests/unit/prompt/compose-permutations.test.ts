import { describe, expect, it } from "vitest";
import { composePrompt, DEFAULT_SETTINGS } from "@/components/create/settings";
import { expandPermutations, parsePrompt } from "@/lib/prompt";

describe("the imagine bar's prompt with permutations", () => {
  it("applies the panel to each combination and sends a group the server expands to exactly those prompts", () => {
    const composed = composePrompt("a {red, blue} bird --no trees, clouds", { ...DEFAULT_SETTINGS, aspect: "16:9" });
    if (!composed.ok) throw new Error(composed.message);
    expect(composed.jobs).toBe(2);
    const expanded = expandPermutations(composed.prompt);
    if (!expanded.ok) throw new Error(expanded.message);
    expect(expanded.prompts.map((prompt) => parsePrompt(prompt)).map((parsed) => parsed.ok && [parsed.recipe.prompt, parsed.recipe.negativePrompt, parsed.recipe.aspectRatio])).toEqual([
      ["a red bird", "trees, clouds", { width: 16, height: 9 }],
      ["a blue bird", "trees, clouds", { width: 16, height: 9 }],
    ]);
  });

  it("names the combination that is invalid", () => {
    expect(composePrompt("a cat --chaos {10, 500}", DEFAULT_SETTINGS)).toEqual({ ok: false, message: expect.stringMatching(/^In "a cat --chaos 500": .*--chaos/) });
  });
});
