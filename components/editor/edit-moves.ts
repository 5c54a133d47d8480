import type { TEditRequest } from "@/lib/schemas/editor";

/** An outpainting move of the Editor (docs/editor.md §2): Zoom Out, Pan or Make Square, before any Remix prompt. */
export type EditMove = Exclude<TEditRequest, { kind: "region" }>;

/** What a person reads on the button and in the Remix dialog's title. */
export function moveLabel(move: EditMove): string {
  switch (move.kind) {
    case "zoom":
      return `Zoom Out ${Number(move.factor.toFixed(2))}×`;
    case "pan":
      return `Pan ${move.direction}`;
    case "square":
      return "Make Square";
    default:
      return move satisfies never;
  }
}

export const PAN_ARROWS = { left: "←", right: "→", up: "↑", down: "↓" } as const;

/**
 * The prompt a Remix field starts from: the words and the `--no` list, the
 * only parts of a prompt that a Remix replaces (the rest of the recipe is kept).
 */
export function remixPromptOf(job: { prompt: string; recipe: Record<string, unknown> }): string {
  const negative = typeof job.recipe.negativePrompt === "string" ? job.recipe.negativePrompt.trim() : "";
  return negative ? `${job.prompt} --no ${negative}` : job.prompt;
}
