// Builders shared by the personalization unit tests.
import type { TAnswer, TChoice, TPairKind } from "@/lib/personalization";

export function answer(left: number[], right: number[], choice: TChoice, pairId = `p-${left.join(",")}|${right.join(",")}`, kind?: TPairKind): TAnswer {
  return kind ? { pairId, left, right, choice, kind } : { pairId, left, right, choice };
}

/** A unit vector on `axis` in K dimensions, times `value`. */
export function onAxis(k: number, axis: number, value = 1): number[] {
  return Array.from({ length: k }, (_, i) => (i === axis ? value : 0));
}
