import { describe, expect, it } from "vitest";
import { isUnlocked, rankedCount, UNLOCK_THRESHOLD, type TAnswer } from "@/lib/personalization";
import { answer } from "./helpers";

function answers(ranked: number, skips: number): TAnswer[] {
  const list: TAnswer[] = [];
  for (let i = 0; i < ranked; i++) list.push(answer([1, 0], [0, 0], i % 2 === 0 ? "left" : "right", `r${i}`));
  for (let i = 0; i < skips; i++) list.splice((i * 7) % (list.length + 1), 0, answer([0, 1], [0, 0], "skip", `s${i}`));
  return list;
}

describe("unlock gate", () => {
  it("is 200 ranked pairs", () => {
    expect(UNLOCK_THRESHOLD).toBe(200);
  });

  it("is locked at 199 non-skip answers and unlocked at 200", () => {
    expect(isUnlocked(answers(199, 0))).toBe(false);
    expect(isUnlocked(answers(200, 0))).toBe(true);
    expect(isUnlocked(answers(0, 0))).toBe(false);
  });

  it("never counts skips", () => {
    expect(isUnlocked(answers(199, 1))).toBe(false);
    expect(isUnlocked(answers(199, 500))).toBe(false);
    expect(isUnlocked(answers(0, 1000))).toBe(false);
    expect(rankedCount(answers(199, 57))).toBe(199);
    expect(isUnlocked(answers(200, 57))).toBe(true);
  });
});
