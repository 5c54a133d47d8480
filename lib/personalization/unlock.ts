// The unlock gate: a profile exists once the user has ranked this many pairs.
// Only real choices count; a skip is stored (it says "too close to call") but
// neither counts towards the gate nor changes the fit.
import type { TAnswer } from "./types";

export const UNLOCK_THRESHOLD = 200;

/** Non-skip answers so far (the "N" of the "N / 200" progress). */
export function rankedCount(answers: readonly TAnswer[]): number {
  let count = 0;
  for (const answer of answers) if (answer.choice !== "skip") count++;
  return count;
}

export function isUnlocked(answers: readonly TAnswer[]): boolean {
  return rankedCount(answers) >= UNLOCK_THRESHOLD;
}
