import { describe, expect, it } from "vitest";
import { ZPolicyTerm } from "@/lib/schemas/moderation";
import { compilePolicy, findBlockedTerm, foldedKey, foldReadings } from "@/lib/server/moderation/fold-terms";

describe("prompt policy matching", () => {
  const policy = compilePolicy(["badword", "Évil Plan", "ass", "hell"]);

  it("matches whole words only", () => {
    expect(findBlockedTerm(policy, "a badword here")).toBe("badword");
    expect(findBlockedTerm(policy, "badwords are fine")).toBeNull();
    expect(findBlockedTerm(policy, "a classy glass of water")).toBeNull();
    expect(findBlockedTerm(policy, "hello world")).toBeNull();
    expect(findBlockedTerm(policy, "what the hell, a cat")).toBe("hell");
  });

  it("folds case, accents and full-width forms", () => {
    expect(findBlockedTerm(policy, "BADWORD")).toBe("badword");
    expect(findBlockedTerm(policy, "bädwörd")).toBe("badword");
    expect(findBlockedTerm(policy, "ｂａｄｗｏｒｄ")).toBe("badword");
    expect(findBlockedTerm(policy, "an evil plan, drawn")).toBe("Évil Plan");
  });

  it("reads look-alike characters as letters", () => {
    expect(findBlockedTerm(policy, "b4dw0rd")).toBe("badword");
    expect(findBlockedTerm(policy, "B@DW0RD!")).toBe("badword");
    expect(findBlockedTerm(policy, "@$$ portrait")).toBe("ass");
    expect(findBlockedTerm(policy, "h3ll")).toBe("hell");
    expect(findBlockedTerm(policy, "he11 gate")).toBe("hell");
    expect(findBlockedTerm(policy, "3vi1 p14n")).toBe("Évil Plan");
  });

  it("matches phrases across punctuation but not split across other words", () => {
    expect(findBlockedTerm(policy, "evil-plan")).toBe("Évil Plan");
    expect(findBlockedTerm(policy, "evil cunning plan")).toBeNull();
  });

  it("reads symbols at a word's edges either way", () => {
    expect(foldReadings("wow! cats")).toEqual([["wowi", "cats"], ["wow", "cats"]]);
    expect(findBlockedTerm(compilePolicy(["badword"]), "!badword!")).toBe("badword");
    expect(findBlockedTerm(compilePolicy(["wow"]), "wow!")).toBe("wow");
  });

  it("an empty policy blocks nothing; equal spellings share a key", () => {
    expect(findBlockedTerm(compilePolicy([]), "anything")).toBeNull();
    expect(ZPolicyTerm.safeParse("!!!").success).toBe(false);
    expect(foldedKey("B@dword")).toBe(foldedKey("badword"));
  });
});
