import { describe, expect, it } from "vitest";
import { formatPrompt, parsePrompt, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";

function parsed(input: string): TPromptRecipe {
  const result = parsePrompt(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.recipe;
}

const ID = "0190c1a2-7b3c-7d4e-8f90-123456789abc";

describe("--sref, --sw, --sv", () => {
  it("reads each kind of reference with its weight, and formats it back", () => {
    const recipe = parsed(`a fox --sref https://example.com/Style.PNG::2 1234567890 ${ID.toUpperCase()}::0.5 RANDOM --sw 250 --sv 4`);
    expect(recipe.styleRefs).toEqual([
      { kind: "url", value: "https://example.com/Style.PNG", weight: 2 },
      { kind: "code", value: "1234567890", weight: 1 },
      { kind: "id", value: ID, weight: 0.5 },
      { kind: "random", value: "random", weight: 1 },
    ]);
    expect(recipe).toMatchObject({ styleWeight: 250, styleVersion: 4, ignored: [] });
    expect(formatPrompt(recipe)).toBe(`a fox --sref https://example.com/Style.PNG::2 1234567890 ${ID}::0.5 random --sw 250 --sv 4`);
    expect(parsed(formatPrompt(recipe))).toEqual(recipe);
  });

  it("defaults to no references, --sw 100 and the current --sv, also for recipes stored before they existed", () => {
    const recipe = parsed("a fox");
    expect(recipe).toMatchObject({ styleRefs: [], styleWeight: 100, styleVersion: null });
    const { styleRefs: _refs, styleWeight: _weight, styleVersion: _version, ...older } = recipe;
    expect(ZPromptRecipe.parse(older)).toEqual(recipe);
  });

  it("drops a repeated reference with the same weight", () => {
    expect(parsed("a fox --sref 42 42::1").styleRefs).toEqual([{ kind: "code", value: "42", weight: 1 }]);
  });

  it.each([
    ["a fox --sref", "--sref", /needs a value/],
    ["a fox --sref http://example.com/a.png", "--sref", /https image URL/],
    ["a fox --sref cats", "--sref", /got cats/],
    ["a fox --sref 42::0", "--sref", /from 0.01 to 100/],
    ["a fox --sref 42::abc", "--sref", /weight of 42/],
    ["a fox --sref 42::2 42::3", "--sref", /twice with different weights/],
    [`a fox --sref ${Array.from({ length: 11 }, (_, i) => i + 1).join(" ")}`, "--sref", /at most 10/],
    ["a fox --sw 1001", "--sw", /0 to 1000/],
    ["a fox --sw -1", "--sw", /0 to 1000/],
    ["a fox --sw 2.5", "--sw", /whole number/],
    ["a fox --sv 0", "--sv", /1 to 6/],
    ["a fox --sv 7", "--sv", /1 to 6/],
    ["a fox --sref 1 --sref 2", "--sref", /given twice/],
  ])("refuses %s naming %s", (input, parameter, message) => {
    const result = parsePrompt(input);
    expect(result).toMatchObject({ ok: false, error: { parameter } });
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it("keeps schema and parser in step: the schema refuses a reference of the wrong kind or a repeat", () => {
    const recipe = parsed("a fox --sref 42");
    expect(ZPromptRecipe.safeParse({ ...recipe, styleRefs: [{ kind: "id", value: "42", weight: 1 }] }).success).toBe(false);
    expect(ZPromptRecipe.safeParse({ ...recipe, styleRefs: [recipe.styleRefs[0], recipe.styleRefs[0]] }).success).toBe(false);
    expect(ZPromptRecipe.safeParse({ ...recipe, styleWeight: 1001 }).success).toBe(false);
  });
});
