import { describe, expect, it } from "vitest";
import { editDistance, suggestName } from "@/lib/prompt/suggest";
import { charCount, findForbiddenCharacter, normaliseList, normaliseText } from "@/lib/prompt/text";
import { tokenize } from "@/lib/prompt/tokenize";

describe("tokenize", () => {
  it("splits the prompt from parameters; values run to the next parameter", () => {
    expect(tokenize("a cat --AR 16:9 --no red birds, dogs \u2014draft")).toEqual({
      prompt: "a cat",
      parameters: [
        { name: "ar", value: "16:9" },
        { name: "no", value: "red birds, dogs" },
        { name: "draft", value: "" },
      ],
    });
  });

  it("treats dashes inside words, before non-letters or alone as text", () => {
    const text = "cat\u2014dog --- --7 -- x a--b \u2014 y";
    expect(tokenize(text)).toEqual({ prompt: text, parameters: [] });
  });
});

describe("text rules", () => {
  it("normalises whitespace and composes to NFC", () => {
    expect(normaliseText("\u00a0 a\t\tb\r\nc\u2028 e\u0301 ")).toBe("a b c \u00e9");
  });

  it("normalises lists", () => {
    expect(normaliseList(" a ,, b c ,d, ")).toBe("a, b c, d");
    expect(normaliseList(" , ")).toBe("");
  });

  it("counts code points, not UTF-16 units", () => {
    expect(charCount("a\u{1F431}b")).toBe(3);
    expect(charCount("\uD800")).toBe(1);
  });

  it("allows whitespace controls and rejects the rest, with 1-based code-point positions", () => {
    expect(findForbiddenCharacter("a\tb\nc\rd\u000be\u000cf")).toBeNull();
    expect(findForbiddenCharacter("\u{1F431}\u0001")).toEqual({ kind: "control", codePoint: 1, position: 2 });
    expect(findForbiddenCharacter("\u009f")).toEqual({ kind: "control", codePoint: 0x9f, position: 1 });
    expect(findForbiddenCharacter("ab\uDBFF")).toEqual({ kind: "surrogate", codePoint: 0xdbff, position: 3 });
  });
});

describe("suggestions", () => {
  it("measures an adjacent swap as one edit", () => {
    expect(editDistance("rwa", "raw")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("stylise", "stylize")).toBe(1);
  });

  it("guesses typos and glued values, but not from very short names", () => {
    const known = ["ar", "aspect", "stylize", "s", "seed", "raw", "relax"];
    expect(suggestName("stylze", known)).toBe("stylize");
    expect(suggestName("sed", known)).toBe("seed");
    expect(suggestName("seed42", known)).toBe("seed 42");
    expect(suggestName("s250", known)).toBe("s 250");
    expect(suggestName("xy", known)).toBeNull();
    expect(suggestName("banana", known)).toBeNull();
    expect(suggestName("x".repeat(500), known)).toBeNull();
  });
});
