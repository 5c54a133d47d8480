// The optional LLM path: when an OpenAI-compatible chat endpoint is configured
// it is asked for a structured edit (llm-edit.ts: JSON in the rules' own edit
// model, sent as a json_schema response_format), which is validated against
// this model's vocabulary and applied by the rules' applyEdits; an endpoint
// that ignores the schema and answers with prompt text is still understood,
// as before:
// (LLM_BASE_URL, LLM_MODEL, optional LLM_API_KEY, read by lib/config/web.ts and
// handed over as a TLlmConfig by lib/server/context.ts), it rewrites the prompt,
// because a language model understands far more than the rules do. It is never
// trusted blindly: the reply must be short, non-empty prompt text that parses,
// and only the prompt text, --ar and --no are taken from it; every other
// parameter is the user's. Any failure (network, non-2xx, bad JSON, invalid
// text, timeout) falls back to the deterministic rules, so a Draft turn never
// fails because the LLM did.

import { diffWords } from "./diff";
import { editsFromLlm, llmEditJsonSchema, ZLlmEditReply } from "./llm-edit";
import { applyEdits, rewritePrompt, type TEditIntent, type TRewriteOptions, type TRewriteResult } from "./rewrite";
import { DEFAULT_DRAFT_VOCABULARY, type TDraftVocabulary } from "./vocabulary";
import { formatPrompt, parsePrompt, PROMPT_LIMITS, ZPromptRecipe, type TPromptRecipe } from "@/lib/prompt";

export interface TLlmConfig {
  /** e.g. "http://127.0.0.1:11434/v1"; the request goes to `${baseUrl}/chat/completions`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Whole request, headers and body; default DEFAULT_LLM_TIMEOUT_MS. */
  timeoutMs?: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 8000;

const SYSTEM_PROMPT = [
  "You edit prompts for an image generator.",
  "You get the current prompt and a change the user asked for in plain language.",
  "Reply with a JSON object that follows the given schema: the list of edits the request asks for (style axis and pole, background id, colour, size, position, add, remove, replace, aspect, medium),",
  'or {"undo":"previous"|"first"} when the user wants to go back, or a "clarify" question with two or three concrete readings when the request is unclear or would remove something the user did not name.',
  "If you cannot produce JSON, reply with the rewritten prompt text only: no quotes, no explanation, no list, one line.",
  "Keep every word the request does not change, and keep the style short and descriptive like the original.",
  "Only if the request is about the picture's shape, end with --ar W:H (for example --ar 16:9).",
  "Only for things to leave out that are not in the text, end with --no followed by a comma-separated list.",
  "Never write any other --parameter.",
].join(" ");

function userMessage(current: TPromptRecipe, utterance: string): string {
  const lines = [`Current prompt: ${current.prompt}`];
  if (current.negativePrompt !== null) lines.push(`Currently left out (--no): ${current.negativePrompt}`);
  lines.push(`Aspect ratio: ${current.aspectRatio.width}:${current.aspectRatio.height}`);
  lines.push(`Change: ${utterance}`);
  return lines.join("\n");
}

class LlmError extends Error {}

/** Rejects when `signal` aborts, even if a custom fetch ignores the signal. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LlmError("timed out"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function askLlm(current: TPromptRecipe, utterance: string, config: TLlmConfig, fetchImpl: typeof fetch, vocabulary: TDraftVocabulary): Promise<string> {
  const signal = AbortSignal.timeout(config.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS);
  const url = `${config.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  const body = JSON.stringify({
    model: config.model,
    temperature: 0,
    response_format: { type: "json_schema", json_schema: { name: "draft_edit", schema: llmEditJsonSchema(vocabulary) } },
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: userMessage(current, utterance) },
    ],
  });
  const response = await abortable(fetchImpl(url, { method: "POST", headers, body, signal }), signal);
  if (!response.ok) throw new LlmError(`HTTP ${response.status}`);
  const json: unknown = await abortable(response.json() as Promise<unknown>, signal);
  const content = (json as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== "string") throw new LlmError("no message content in the reply");
  return content;
}

/** Unwraps what models add despite being asked not to: code fences, quotes, a "Prompt:" label. */
function cleanReply(content: string): string {
  let text = content.trim();
  text = text.replace(/^```[a-z]*\s*/i, "").replace(/\s*```$/, "").trim();
  text = text.replace(/^(?:rewritten |new |updated )?prompt\s*:\s*/i, "").trim();
  const quoted = /^(["'\u201c\u2018`])([\s\S]*)(["'\u201d\u2019`])$/.exec(text);
  return quoted ? (quoted[2] ?? "").trim() : text;
}

const EXPLICIT = (name: string) => new RegExp(`(?:^|[ ,])(?:--|\\u2014)(?:${name})(?![A-Za-z])`, "i");

/** The recipe the reply describes with the user's parameters put back, or the reason it is not acceptable. */
function acceptReply(current: TPromptRecipe, content: string): TPromptRecipe | string {
  const text = cleanReply(content);
  if (text === "") return "empty reply";
  if ([...text].length > PROMPT_LIMITS.promptChars) return "reply too long";
  const parsed = parsePrompt(text);
  if (!parsed.ok) return `reply does not parse: ${parsed.error.message}`;
  // A person's pasted prompt may carry parameters Mirage leaves out; a model inventing one is a bad reply.
  if (parsed.recipe.ignored.length > 0) return `reply does not parse: it uses ${parsed.recipe.ignored.map((parameter) => parameter.name).join(", ")}, which Mirage does not apply`;
  const recipe: TPromptRecipe = {
    ...current,
    prompt: parsed.recipe.prompt,
    aspectRatio: EXPLICIT("ar|aspect").test(text) ? parsed.recipe.aspectRatio : current.aspectRatio,
    negativePrompt: EXPLICIT("no").test(text) ? parsed.recipe.negativePrompt : current.negativePrompt,
  };
  if (!ZPromptRecipe.safeParse(recipe).success) return "reply is not a valid recipe";
  const round = parsePrompt(formatPrompt(recipe));
  if (!round.ok) return `reply does not parse with the parameters: ${round.error.message}`;
  return round.recipe;
}

function intentsFor(before: TPromptRecipe, after: TPromptRecipe, rules: TRewriteResult): TEditIntent[] {
  // The LLM does not say what it understood; the rules' reading of the same words is the best label we have.
  const intents: TEditIntent[] = rules.understood ? [...rules.intents] : [];
  const add = (intent: TEditIntent) => {
    if (!intents.includes(intent)) intents.push(intent);
  };
  if (before.aspectRatio.width !== after.aspectRatio.width || before.aspectRatio.height !== after.aspectRatio.height) add("aspect");
  if (before.negativePrompt !== after.negativePrompt) add("remove");
  return intents.length > 0 ? intents : ["unknown"];
}

function parameterChanges(before: TPromptRecipe, after: TPromptRecipe): TRewriteResult["changes"] {
  const changes: TRewriteResult["changes"] = [];
  const ratio = (recipe: TPromptRecipe) => `--ar ${recipe.aspectRatio.width}:${recipe.aspectRatio.height}`;
  if (ratio(before) !== ratio(after)) changes.push({ kind: "replaced", text: ratio(before), with: ratio(after) });
  if (before.negativePrompt !== after.negativePrompt) {
    if (before.negativePrompt === null) changes.push({ kind: "added", text: `--no ${after.negativePrompt ?? ""}` });
    else if (after.negativePrompt === null) changes.push({ kind: "removed", text: `--no ${before.negativePrompt}` });
    else changes.push({ kind: "replaced", text: `--no ${before.negativePrompt}`, with: `--no ${after.negativePrompt}` });
  }
  return changes;
}

function fallback(rules: TRewriteResult, reason: string): TRewriteResult {
  return { ...rules, fallbackReason: reason };
}

/** The reply as JSON when it is a JSON object (a structured edit, valid or not); null when it is prompt text. */
function structuredReply(content: string): unknown {
  const text = content.trim().replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  if (!text.startsWith("{")) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

const NOT_JSON = Symbol("not JSON");

/** A structured edit, validated and applied by the rules' own path; anything that does not fit falls back to the rules. */
function fromStructured(current: TPromptRecipe, utterance: string, json: unknown, vocabulary: TDraftVocabulary, rules: TRewriteResult): TRewriteResult {
  if (json === NOT_JSON) return fallback(rules, "structured edit is not valid JSON");
  const parsed = ZLlmEditReply.safeParse(json);
  if (!parsed.success) return fallback(rules, `structured edit does not fit the schema: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const reply = parsed.data;
  const unchanged = { recipe: current, prompt: formatPrompt(current), changes: [], source: "llm" as const };
  if (reply.undo) return { ...unchanged, intents: [], understood: true, undo: { to: reply.undo }, confidence: 1 };
  if (reply.clarify) return { ...unchanged, intents: ["unknown"], understood: false, message: reply.clarify.question, clarify: reply.clarify, confidence: 0 };
  const edits = editsFromLlm(reply, vocabulary);
  if (typeof edits === "string") return fallback(rules, `structured edit: ${edits}`);
  if (edits.length === 0) return fallback(rules, "structured edit has no edits");
  const result = applyEdits(current, edits, { utterance, vocabulary });
  if (!result.understood && !result.clarify) return fallback(rules, `structured edit could not be applied: ${result.message ?? ""}`);
  if (formatPrompt(result.recipe) === formatPrompt(current) && !result.clarify) return fallback(rules, "reply did not change the prompt");
  return { ...result, source: "llm" };
}

export interface TLlmRewriteOptions extends TRewriteOptions {
  /** The HTTP client (tests pass one that never answers). */
  fetch?: typeof fetch;
}

/**
 * Rewrites with the configured LLM, falling back to rewritePrompt (with the
 * same vocabulary) on any failure. Never rejects. An empty utterance never
 * reaches the network.
 */
export async function rewriteWithLlm(
  current: TPromptRecipe,
  utterance: string,
  config: TLlmConfig,
  options: TLlmRewriteOptions = {},
): Promise<TRewriteResult> {
  const { fetch: fetchImpl = fetch, ...rewriteOptions } = options;
  const rules = rewritePrompt(current, utterance, rewriteOptions);
  if (typeof utterance !== "string" || utterance.trim() === "") return rules;
  try {
    const vocabulary = rewriteOptions.vocabulary ?? DEFAULT_DRAFT_VOCABULARY;
    const content = await askLlm(current, utterance, config, fetchImpl, vocabulary);
    const structured = structuredReply(content);
    if (structured !== null) return fromStructured(current, utterance, structured, vocabulary, rules);
    const recipe = acceptReply(current, content);
    if (typeof recipe === "string") return fallback(rules, recipe);
    const prompt = formatPrompt(recipe);
    // An unchanged prompt means the LLM did not act on the request; the rules at least explain why.
    if (prompt === formatPrompt(current)) return fallback(rules, "reply did not change the prompt");
    return {
      recipe,
      prompt,
      intents: intentsFor(current, recipe, rules),
      changes: [...diffWords(current.prompt, recipe.prompt), ...parameterChanges(current, recipe)],
      understood: true,
      source: "llm",
    };
  } catch (error) {
    const reason = error instanceof LlmError ? error.message : error instanceof Error && error.name === "TimeoutError" ? "timed out" : "request failed";
    return fallback(rules, reason);
  }
}
