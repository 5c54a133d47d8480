// Multi-prompts: `space:: ship`, `cat::2 dog::-0.5`. The text stays in the
// recipe exactly as typed; the parts and weights are derived from it here, by
// the parser (to refuse bad weights) and when a job is made (to condition on
// them). docs/prompt-language.md §4.

export type TPromptPart = { text: string; weight: number };

export const MULTI_PROMPT_LIMITS = {
  parts: 20,
  /** Largest weight magnitude a part may have. */
  weight: 1000,
  /** What `--no x` counts as in a multi-prompt: x::-0.5, as in Midjourney. */
  negativeWeight: -0.5,
} as const;

/** A weight right after `::`, ended by a space or the end: `::2`, `::-0.5`, `::.25`. */
const WEIGHT = /^(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?= |$)/;

export type TMultiPrompt = { ok: true; parts: TPromptPart[] | null } | { ok: false; message: string };

/**
 * The parts of a prompt, or `parts: null` when it has no `::` (a plain
 * prompt). `negative` is the `--no` list, which counts as one more part of
 * weight −0.5. The weights' total must be positive: the conditioning is the
 * weighted mean Σ wᵢ·E(partᵢ) / Σ wᵢ.
 */
export function multiPromptParts(prompt: string, negative: string | null = null): TMultiPrompt {
  if (!prompt.includes("::")) return { ok: true, parts: null };
  const pieces = prompt.split("::");
  const parts: TPromptPart[] = [];
  let text = pieces[0]!;
  for (const piece of pieces.slice(1)) {
    const match = WEIGHT.exec(piece);
    const weight = match ? Number(match[1]) : 1;
    if (Math.abs(weight) > MULTI_PROMPT_LIMITS.weight) {
      return { ok: false, message: `Multi-prompt weight ::${match![1]} is too large: weights are from −${MULTI_PROMPT_LIMITS.weight} to ${MULTI_PROMPT_LIMITS.weight}.` };
    }
    if (text.trim() !== "") parts.push({ text: text.trim(), weight });
    text = match ? piece.slice(match[0].length) : piece;
  }
  if (text.trim() !== "") parts.push({ text: text.trim(), weight: 1 });
  if (negative !== null) parts.push({ text: negative, weight: MULTI_PROMPT_LIMITS.negativeWeight });
  if (parts.length > MULTI_PROMPT_LIMITS.parts) return { ok: false, message: `A multi-prompt has at most ${MULTI_PROMPT_LIMITS.parts} parts separated by :: (got ${parts.length}).` };
  const total = parts.reduce((sum, part) => sum + part.weight, 0);
  if (!(total > 1e-9)) {
    const noted = negative === null ? "" : " (--no counts as −0.5)";
    return { ok: false, message: `Multi-prompt weights must add up to more than 0${noted}; these add up to ${Number(total.toFixed(4))}. Raise a positive weight or lower a negative one.` };
  }
  return { ok: true, parts };
}
