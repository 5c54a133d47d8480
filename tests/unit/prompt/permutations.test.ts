import { describe, expect, it } from "vitest";
import { expandPermutations, MAX_PERMUTATIONS } from "@/lib/prompt/permutations";

const prompts = (text: string) => {
  const result = expandPermutations(text);
  if (!result.ok) throw new Error(result.message);
  return result.prompts;
};

describe("permutation prompts", () => {
  it("leaves a prompt without braces alone", () => {
    expect(prompts("a red boat --ar 16:9")).toEqual(["a red boat --ar 16:9"]);
  });

  it("makes one prompt per combination, the first group varying slowest", () => {
    expect(prompts("a {red, blue} bird on a {tree, fence}")).toEqual([
      "a red bird on a tree",
      "a red bird on a fence",
      "a blue bird on a tree",
      "a blue bird on a fence",
    ]);
  });

  it("expands inside parameters and nested groups", () => {
    expect(prompts("a cat --ar {1:1, 16:9}")).toEqual(["a cat --ar 1:1", "a cat --ar 16:9"]);
    expect(prompts("{a {big, small} cat, a dog} in the snow")).toEqual(["a big cat in the snow", "a small cat in the snow", "a dog in the snow"]);
  });

  it("keeps escaped braces and commas as text", () => {
    expect(prompts("a sign that says \\{hello\\, world\\}")).toEqual(["a sign that says {hello, world}"]);
  });

  it("refuses unbalanced braces and too many prompts, saying how to fix it", () => {
    expect(expandPermutations("a {red, blue bird")).toEqual({ ok: false, message: expect.stringMatching(/never closed/) });
    expect(expandPermutations("a red} bird")).toEqual({ ok: false, message: expect.stringMatching(/closes no/) });
    const many = "{a,b,c,d,e,f,g} {1,2,3,4,5,6,7}";
    expect(expandPermutations(many)).toEqual({ ok: false, message: expect.stringMatching(new RegExp(`at most ${MAX_PERMUTATIONS}`)) });
  });
});
