import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandPermutations, MAX_PERMUTATIONS } from "@/lib/prompt/permutations";

/**
 * Properties of permutation expansion (issue 24: the parser's property tests
 * cover the new syntax). Examples live in permutations.test.ts.
 */

const word = fc.stringMatching(/^[a-z]{1,6}$/);
/** Plain text around the groups: words separated by single spaces, no braces, commas or backslashes. */
const literal = fc.array(word, { maxLength: 3 }).map((words) => words.join(" "));
/** A flat group's options: distinct words. */
const options = fc.uniqueArray(word, { minLength: 1, maxLength: 3 });

/** Every combination, the first group varying slowest (as Midjourney orders them). */
function combinations(literals: string[], groups: string[][]): string[] {
  let prompts = [literals[0]!];
  groups.forEach((group, i) => {
    prompts = prompts.flatMap((prefix) => group.map((option) => `${prefix}${option}${literals[i + 1]!}`));
  });
  return prompts;
}

describe("permutation expansion, for any input", () => {
  it("never throws, and answers 1 to MAX prompts or a message", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("{", "}", ",", "\\", " ", "a", "b", "-", ":"), maxLength: 60 }), (text) => {
        const result = expandPermutations(text);
        if (result.ok) {
          expect(result.prompts.length).toBeGreaterThanOrEqual(1);
          expect(result.prompts.length).toBeLessThanOrEqual(MAX_PERMUTATIONS);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("makes one prompt per combination of flat groups, in order, or refuses over the cap", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(literal, options), { minLength: 1, maxLength: 4 }), literal, (parts, tail) => {
        // Literals end with a space before a group and start with one after it, so words never run together.
        const literals = [...parts.map(([text], i) => (i === 0 ? (text ? `${text} ` : "") : ` ${text} `)), tail ? ` ${tail}` : ""];
        const groups = parts.map(([, group]) => group);
        const text = parts.map(([, group], i) => `${literals[i]}{${group.join(", ")}}`).join("") + literals.at(-1)!;
        const expected = combinations(literals, groups);
        const result = expandPermutations(text);
        if (expected.length > MAX_PERMUTATIONS) expect(result.ok).toBe(false);
        else expect(result).toEqual({ ok: true, prompts: expected });
      }),
    );
  });

  it("treats escaped braces and commas as text: one prompt, the text unescaped", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("{", "}", ",", "a", "b", " "), maxLength: 40 }), (text) => {
        const escaped = text.replace(/[{},]/g, (char) => `\\${char}`);
        expect(expandPermutations(escaped)).toEqual({ ok: true, prompts: [text] });
      }),
    );
  });
});
