import { describe, expect, it } from "vitest";
import { formatPrompt, parsePrompt, PROMPT_PARAMETERS } from "@/lib/prompt";

function canonical(input: string): string {
  const result = parsePrompt(input);
  if (!result.ok) throw new Error(`${input}: ${result.error.message}`);
  return formatPrompt(result.recipe);
}

describe("formatPrompt", () => {
  it.each([
    ["a cat", "a cat"],
    // Defaults are left out, including explicit ones.
    ["a cat --ar 1:1 --s 100 --c 0 --r 1 --v 7", "a cat"],
    // Fixed order, canonical names, reduced values, normalised lists.
    [
      "a fox --relax --draft --r 4 --seed 42 --c 40 --s 250 --ar 32:18",
      "a fox --ar 16:9 --stylize 250 --chaos 40 --seed 42 --repeat 4 --draft --relax",
    ],
    ["a fox \u2014no clouds,trees \u2014aspect 2:3 \u2014personalize B, a", "a fox --ar 2:3 --p b a --no clouds, trees"],
    ["a fox --style raw --turbo --p", "a fox --p --raw --turbo"],
    ["  a   fox\n --seed 0 ", "a fox --seed 0"],
  ])("%j → %j", (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });
});

describe("PROMPT_PARAMETERS", () => {
  it("lists every parameter once with a hint, and no spelling twice", () => {
    const spellings = PROMPT_PARAMETERS.flatMap((parameter) => [parameter.name, ...parameter.aliases]);
    expect(new Set(spellings).size).toBe(spellings.length);
    for (const parameter of PROMPT_PARAMETERS) {
      expect(parameter.name).toMatch(/^--[a-z]+$/);
      expect(parameter.takes.length).toBeGreaterThan(0);
      expect(parameter.description.length).toBeGreaterThan(0);
    }
    expect(PROMPT_PARAMETERS.map((parameter) => parameter.name)).toEqual([
      "--ar", "--stylize", "--chaos", "--seed", "--repeat", "--p", "--iw", "--sref", "--sw", "--sv", "--raw", "--style", "--draft", "--turbo", "--fast", "--relax", "--no", "--q", "--stop", "--tile", "--weird", "--exp", "--v", "--niji",
    ]);
  });

  it.each(PROMPT_PARAMETERS.map((parameter) => [parameter.name, parameter.example]))("%s: its example parses", (name, example) => {
    expect(example.startsWith(name)).toBe(true);
    expect(parsePrompt(`a cat ${example}`).ok).toBe(true);
  });

  it("accepts every alias where the name is accepted", () => {
    for (const parameter of PROMPT_PARAMETERS) {
      for (const alias of parameter.aliases) {
        const viaAlias = parsePrompt(`a cat ${parameter.example.replace(parameter.name, alias)}`);
        expect(viaAlias).toEqual(parsePrompt(`a cat ${parameter.example}`));
      }
    }
  });
});
