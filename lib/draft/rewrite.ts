// The deterministic conversational rewriter for Draft mode: "make the house
// red" + the current recipe → the next recipe. Three small steps:
//   utterance.ts  normalise what was said, drop politeness, split requests
//   intents.ts    match each request to a shape and resolve it against the
//                 vocabulary tables into edits
//   apply.ts      apply the edits over a light phrase model of the prompt
// Only the prompt text, the --no list and the aspect ratio can change; every
// other parameter is copied. The result is always a valid recipe (checked
// against the schema and a parse round trip), and the function never throws:
// the Draft page calls it on every message.

import { applyEdit, type TChange, type TDraftState } from "./apply";
import { MAX_UTTERANCE_LENGTH, parseUtterance, type TEdit } from "./intents";

export type { TEdit };
import { DEFAULT_DRAFT_VOCABULARY, type TDraftVocabulary } from "./vocabulary";
import { undoTarget, vagueReadings } from "./meta";
import { mainSubject, nounForms } from "./phrases";
import { correctTypos } from "./typos";
import { formatPrompt, parsePrompt, PROMPT_LIMITS, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";

export type TEditIntent = "add" | "change-attribute" | "background" | "remove" | "style" | "composition" | "aspect" | "replace" | "unknown";

export interface TRewriteResult {
  /** The new recipe: every parameter kept except the ones the request was about. */
  recipe: TPromptRecipe;
  /** formatPrompt(recipe). */
  prompt: string;
  /** What was understood, in order, without repeats; ["unknown"] when nothing was. */
  intents: TEditIntent[];
  /** For the "what changed" view; --no and --ar changes are written as parameters ("--no clouds"). */
  changes: Array<{ kind: "added" | "removed" | "replaced"; text: string; with?: string }>;
  /** False when nothing could be applied; then recipe is the input recipe and message says why. */
  understood: boolean;
  message?: string;
  /**
   * Set when the request was not clear enough to act on without risking a
   * destructive misreading: recipe is the input recipe, nothing is drafted, and
   * the reply offers these readings (each a message the user can send as is).
   */
  clarify?: TClarification;
  /** Set when the message asks to go back: the session restores that turn's prompt instead (the recipe is unchanged here). */
  undo?: { to: "previous" | "first" };
  /** How sure the reading is, 0–1: below CLARIFY_BELOW the rules ask back instead of rewriting. */
  confidence?: number;
  /** Which path produced the result: the LLM, or these rules (directly or as the LLM's fallback). */
  source: "llm" | "rules";
  /** Set when the LLM was configured but its answer was not used: why the rules answered instead (for logs, not users). */
  fallbackReason?: string;
}

export interface TClarification {
  question: string;
  /** Two or three concrete readings; `message` is sent as the next follow-up when clicked. */
  readings: Array<{ label: string; message: string }>;
}

export interface TRewriteOptions {
  /** The model's world (draftVocabularyFrom its manifest); the generic default otherwise. */
  vocabulary?: TDraftVocabulary;
}

export const UNKNOWN_MESSAGE =
  "I couldn't tell what to change — try 'make the house red', 'add a moon', 'at sunset', 'no clouds', 'more muted', 'move it to the left' or 'make it wide'.";

/** Only ever seen if the rewriter has a bug; the property tests assert it never appears. */
export const REWRITE_INTERNAL_ERROR_MESSAGE = "Something went wrong reading that request; try rephrasing it, or edit the prompt by hand.";

export function intentOf(edit: TEdit): TEditIntent {
  switch (edit.kind) {
    case "style":
      return edit.axis.intent;
    case "medium":
      return "style";
    case "aspect":
      return "aspect";
    case "background":
      return "background";
    case "position":
      return "composition";
    case "colour":
    case "size":
      return "change-attribute";
    case "add":
    case "action":
      return "add";
    case "remove":
      return "remove";
    case "replace":
      return "replace";
  }
}

function notUnderstood(current: TPromptRecipe, message: string): TRewriteResult {
  return { recipe: current, prompt: safeFormat(current), intents: ["unknown"], changes: [], understood: false, message, source: "rules" };
}

function safeFormat(recipe: TPromptRecipe): string {
  try {
    return formatPrompt(recipe);
  } catch {
    return typeof recipe?.prompt === "string" ? recipe.prompt : "";
  }
}

function splitList(list: string | null): string[] {
  return list === null ? [] : list.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** The candidate recipe, or a reason it cannot be used (too long, or something the schema rejects). */
function toRecipe(current: TPromptRecipe, state: TDraftState): TPromptRecipe | string {
  const negative = state.negative.join(", ");
  const recipe: TPromptRecipe = {
    ...current,
    prompt: state.prompt,
    negativePrompt: negative === "" ? null : negative,
    aspectRatio: { ...state.aspectRatio },
  };
  if ([...recipe.prompt].length > PROMPT_LIMITS.promptChars) return `That would make the prompt longer than ${PROMPT_LIMITS.promptChars} characters.`;
  if ([...negative].length > PROMPT_LIMITS.negativeChars) return `That would make the --no list longer than ${PROMPT_LIMITS.negativeChars} characters.`;
  if (!ZPromptRecipe.safeParse(recipe).success) return "That edit would not make a valid prompt; try editing the prompt by hand.";
  const reparsed = parsePrompt(formatPrompt(recipe));
  if (!reparsed.ok) return reparsed.error.message;
  return reparsed.recipe;
}

/**
 * Rewrites `current` according to `utterance`. Pure and deterministic: the same
 * inputs always give the same result, and nothing outside the arguments is read.
 */
export function rewritePrompt(current: TPromptRecipe, utterance: string, options: TRewriteOptions = {}): TRewriteResult {
  try {
    return rewrite(current, utterance, options.vocabulary ?? DEFAULT_DRAFT_VOCABULARY);
  } catch {
    // Belt and braces for the never-throw contract; the property test looks for this message.
    return notUnderstood(current, REWRITE_INTERNAL_ERROR_MESSAGE);
  }
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/\p{L}+/gu) ?? []);
}

/**
 * How sure the rules are that the rewrite is what was meant. The one reading
 * that must never happen silently is losing the main subject when the message
 * did not name it ("i'd like this as a widescreen picture" once swapped the
 * boat for "a widescreen picture"): that scores below CLARIFY_BELOW, so the
 * reply asks. "It" with a swap verb ("make it a fish") is a plausible swap;
 * parts of the message not understood lower the score without asking.
 */
function confidenceOf(before: TPromptRecipe, after: TPromptRecipe, utterance: string, vocabulary: TDraftVocabulary, unknownPieces: number): number {
  const confidence = unknownPieces > 0 ? 0.7 : 1;
  const subject = mainSubject(before.prompt, vocabulary)?.word.toLowerCase();
  if (!subject) return confidence;
  const kept = nounForms(subject).some((form) => wordsOf(after.prompt).has(form));
  if (kept) return confidence;
  const said = wordsOf(utterance);
  if (nounForms(subject).some((form) => said.has(form))) return confidence;
  const pronounSwap = /\b(?:it|him|her|them|this)\b/i.test(utterance) && /\b(?:make|turn|change|swap|replace|instead|into|rather)\b/i.test(utterance);
  return Math.min(confidence, pronounSwap ? 0.6 : 0.2);
}

/** Below this confidence the rules ask back instead of rewriting. */
export const CLARIFY_BELOW = 0.5;

function asking(current: TPromptRecipe, clarify: TClarification): TRewriteResult {
  return { recipe: current, prompt: safeFormat(current), intents: ["unknown"], changes: [], understood: false, message: clarify.question, clarify, confidence: 0, source: "rules" };
}

function rewrite(current: TPromptRecipe, raw: unknown, vocabulary: TDraftVocabulary): TRewriteResult {
  if (typeof raw !== "string") return notUnderstood(current, UNKNOWN_MESSAGE);
  if (raw.length > MAX_UTTERANCE_LENGTH) return notUnderstood(current, `That is too long for a follow-up (at most ${MAX_UTTERANCE_LENGTH} characters); edit the prompt directly instead.`);
  const back = undoTarget(raw);
  if (back) {
    const message = back === "first" ? "Going back to the first prompt." : "Going back to the previous prompt.";
    return { recipe: current, prompt: safeFormat(current), intents: [], changes: [], understood: true, message, undo: { to: back }, confidence: 1, source: "rules" };
  }
  const subject = mainSubject(current.prompt, vocabulary)?.word ?? null;
  const vague = vagueReadings(raw, subject);
  if (vague) return asking(current, vague);
  // Typos are corrected only towards words the vocabulary or the prompt uses, so a new noun is never "corrected".
  const utterance = correctTypos(raw, vocabulary, current.prompt);
  const { edits, unknown, tooLong } = parseUtterance(utterance, vocabulary);
  if (tooLong) return notUnderstood(current, `That is too long for a follow-up (at most ${MAX_UTTERANCE_LENGTH} characters); edit the prompt directly instead.`);
  if (edits.length === 0) return notUnderstood(current, UNKNOWN_MESSAGE);
  return applyEdits(current, edits, { utterance, vocabulary, unknown });
}

/**
 * Applies edits (the rules' reading, or an LLM's structured edit validated
 * into the same TEdit model) to the recipe: the one path every rewrite takes,
 * with the same confidence check and the same guarantees (a valid recipe,
 * only text, --no and --ar changed).
 */
export function applyEdits(
  current: TPromptRecipe,
  edits: readonly TEdit[],
  { utterance, vocabulary = DEFAULT_DRAFT_VOCABULARY, unknown = [] }: { utterance: string; vocabulary?: TDraftVocabulary; unknown?: readonly string[] },
): TRewriteResult {
  let state: TDraftState = {
    prompt: current.prompt,
    negative: splitList(current.negativePrompt),
    aspectRatio: { ...current.aspectRatio },
    changes: [],
  };
  const intents: TEditIntent[] = [];
  const problems: string[] = [];
  for (const edit of edits) {
    const outcome = applyEdit(state, edit, vocabulary);
    if (outcome.status === "failed") {
      problems.push(outcome.reason);
      continue;
    }
    // An edit that would break the recipe is dropped on its own, so the others still apply.
    const candidate = toRecipe(current, outcome.state);
    if (typeof candidate === "string") {
      problems.push(candidate);
      continue;
    }
    state = outcome.state;
    const intent = intentOf(edit);
    if (!intents.includes(intent)) intents.push(intent);
  }
  if (intents.length === 0) return notUnderstood(current, problems.join(" ") || UNKNOWN_MESSAGE);

  const recipe = toRecipe(current, state);
  if (typeof recipe === "string") return notUnderstood(current, recipe);
  const notes = [...(state.notes ?? []), ...problems, ...unknown.map((text) => `I didn't understand "${text}".`)];
  if (state.changes.length === 0) notes.push("The prompt already says that.");
  const changes: TChange[] = state.changes;
  const confidence = confidenceOf(current, recipe, utterance, vocabulary, unknown.length);
  if (confidence < CLARIFY_BELOW) {
    const subject = mainSubject(current.prompt, vocabulary)?.word ?? "subject";
    const added = changes.find((change) => change.kind === "replaced")?.with ?? changes.find((change) => change.kind === "added")?.text ?? utterance;
    return asking(current, {
      question: `That would take the ${subject} out of the picture. Did you mean one of these?`,
      readings: [
        { label: `Replace the ${subject} with ${added}`, message: `replace the ${subject} with ${added}` },
        { label: `Keep the ${subject} and add ${added}`, message: `add ${added}` },
        { label: "Leave the prompt as it is", message: "undo" },
      ],
    });
  }
  return {
    recipe,
    prompt: formatPrompt(recipe),
    intents,
    changes,
    understood: true,
    confidence,
    ...(notes.length > 0 ? { message: notes.join(" ") } : {}),
    source: "rules",
  };
}
