import { describe, expect, it } from "vitest";
import { moveLabel, remixPromptOf } from "@/components/editor/edit-moves";
import { EMPTY_HISTORY, maskHistory, type MaskHistory } from "@/components/editor/mask-history";
import { isUsefulStroke, type MaskStroke } from "@/components/editor/mask-strokes";

const dot = (x: number): MaskStroke => ({ tool: "brush", size: 10, points: [{ x, y: 0 }] });

function apply(...actions: Parameters<typeof maskHistory>[1][]): MaskHistory {
  return actions.reduce(maskHistory, EMPTY_HISTORY);
}

describe("the Editor's stroke history", () => {
  it("undoes and redoes strokes in order, and a new stroke drops what was undone", () => {
    const [a, b, c] = [dot(1), dot(2), dot(3)];
    expect(apply({ type: "add", stroke: a }, { type: "add", stroke: b }, { type: "undo" })).toEqual({ done: [a], undone: [b] });
    expect(apply({ type: "add", stroke: a }, { type: "add", stroke: b }, { type: "undo" }, { type: "undo" }, { type: "redo" })).toEqual({ done: [a], undone: [b] });
    expect(apply({ type: "add", stroke: a }, { type: "add", stroke: b }, { type: "undo" }, { type: "add", stroke: c })).toEqual({ done: [a, c], undone: [] });
  });

  it("treats undo with nothing drawn and redo with nothing undone as no-ops", () => {
    expect(apply({ type: "undo" }, { type: "redo" })).toBe(EMPTY_HISTORY);
  });

  it("clears every stroke into the redo list", () => {
    const [a, b] = [dot(1), dot(2)];
    const cleared = apply({ type: "add", stroke: a }, { type: "add", stroke: b }, { type: "clear" });
    expect(cleared).toEqual({ done: [], undone: [a, b] });
    expect(maskHistory(cleared, { type: "redo" })).toEqual({ done: [a], undone: [b] });
  });
});

describe("strokes and labels", () => {
  it("keeps only strokes that paint something", () => {
    expect(isUsefulStroke(dot(1))).toBe(true);
    expect(isUsefulStroke({ tool: "rectangle", from: { x: 1, y: 1 }, to: { x: 1, y: 40 } })).toBe(false);
    expect(isUsefulStroke({ tool: "rectangle", from: { x: 1, y: 1 }, to: { x: 9, y: 40 } })).toBe(true);
    expect(isUsefulStroke({ tool: "lasso", points: [{ x: 0, y: 0 }, { x: 5, y: 5 }] })).toBe(false);
  });

  it("names the moves as their buttons read, and starts Remix from the words and --no", () => {
    expect(moveLabel({ kind: "zoom", factor: 1.5 })).toBe("Zoom Out 1.5×");
    expect(moveLabel({ kind: "zoom", factor: 1.2345 })).toBe("Zoom Out 1.23×");
    expect(moveLabel({ kind: "pan", direction: "left" })).toBe("Pan left");
    expect(moveLabel({ kind: "square" })).toBe("Make Square");
    expect(remixPromptOf({ prompt: "a red fox", recipe: { negativePrompt: "snow, trees" } })).toBe("a red fox --no snow, trees");
    expect(remixPromptOf({ prompt: "a red fox", recipe: { negativePrompt: null } })).toBe("a red fox");
  });
});
