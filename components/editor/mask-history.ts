import type { MaskStroke } from "./mask-strokes";

/** Undo/redo of mask strokes: `done` is drawn, `undone` waits for Redo until a new stroke clears it. */
export interface MaskHistory {
  done: readonly MaskStroke[];
  undone: readonly MaskStroke[];
}

export type MaskHistoryAction = { type: "add"; stroke: MaskStroke } | { type: "undo" } | { type: "redo" } | { type: "clear" };

export const EMPTY_HISTORY: MaskHistory = { done: [], undone: [] };

export function maskHistory(state: MaskHistory, action: MaskHistoryAction): MaskHistory {
  switch (action.type) {
    case "add":
      return { done: [...state.done, action.stroke], undone: [] };
    case "undo": {
      const last = state.done.at(-1);
      return last ? { done: state.done.slice(0, -1), undone: [last, ...state.undone] } : state;
    }
    case "redo": {
      const [next, ...rest] = state.undone;
      return next ? { done: [...state.done, next], undone: rest } : state;
    }
    case "clear":
      // Every stroke moves to the redo list, so Redo brings them back one by one.
      return state.done.length ? { done: [], undone: [...state.done, ...state.undone] } : state;
    default:
      return action satisfies never;
  }
}
