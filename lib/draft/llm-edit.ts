// The structured edit an LLM is asked for: the same edit model the rules
// produce (TEdit in intents.ts), as JSON. The model's answer is validated
// here — shape with zod, then every id and word against this model's
// vocabulary — and anything that does not fit is rejected as a whole, so the
// caller falls back to the rules. Nothing the LLM says is applied except
// through applyEdits, the rules' own path.

import { z } from "zod";
import type { TEdit, TTarget } from "./intents";
import type { TDraftVocabulary } from "./vocabulary";

const SHORT_TEXT = z.string().trim().min(1).max(120).refine((text) => !/--|\u2014|[\u0000-\u001f]/.test(text), "no parameters or control characters");
/** "main" = the subject ("it"), "background", or a noun that is in the prompt ("boat"). */
const TARGET = z.string().trim().min(1).max(40);

const ZLlmEdit = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("style"), axis: z.string(), pole: z.enum(["negative", "positive"]) }),
  z.object({ kind: z.literal("medium"), text: SHORT_TEXT }),
  z.object({ kind: z.literal("aspect"), width: z.number().int().min(1).max(21), height: z.number().int().min(1).max(21) }),
  z.object({ kind: z.literal("background"), id: z.string().optional(), phrase: SHORT_TEXT.optional(), slot: z.enum(["sky", "ground", "backdrop"]).optional() }),
  z.object({ kind: z.literal("position"), target: TARGET, position: z.string() }),
  z.object({ kind: z.literal("colour"), target: TARGET, colour: z.string() }),
  z.object({ kind: z.literal("size"), target: TARGET, size: z.string() }),
  z.object({ kind: z.literal("add"), text: SHORT_TEXT }),
  z.object({ kind: z.literal("action"), text: SHORT_TEXT }),
  z.object({ kind: z.literal("remove"), what: SHORT_TEXT }),
  z.object({ kind: z.literal("replace"), target: TARGET, text: SHORT_TEXT }),
]);

export const ZLlmEditReply = z.object({
  /** Set when the request is unclear; then `edits` is ignored and the reply asks back. */
  clarify: z.object({ question: z.string().min(1).max(300), readings: z.array(z.object({ label: z.string().min(1).max(120), message: z.string().min(1).max(200) })).min(2).max(3) }).optional(),
  undo: z.enum(["previous", "first"]).optional(),
  edits: z.array(ZLlmEdit).max(12).default([]),
});
export type TLlmEditReply = z.infer<typeof ZLlmEditReply>;

/** The JSON schema sent as response_format, written out so it reads like the contract it is. */
export function llmEditJsonSchema(vocabulary: TDraftVocabulary): Record<string, unknown> {
  const target = { type: "string", description: '"main" (the subject, "it"), "background", or a noun that appears in the prompt' };
  const edit = (kind: string, properties: Record<string, unknown>) => ({
    type: "object",
    additionalProperties: false,
    required: ["kind", ...Object.keys(properties)],
    properties: { kind: { const: kind }, ...properties },
  });
  return {
    type: "object",
    additionalProperties: false,
    required: ["edits"],
    properties: {
      undo: { enum: ["previous", "first"] },
      clarify: {
        type: "object",
        required: ["question", "readings"],
        properties: { question: { type: "string" }, readings: { type: "array", minItems: 2, maxItems: 3, items: { type: "object", required: ["label", "message"], properties: { label: { type: "string" }, message: { type: "string" } } } } },
      },
      edits: {
        type: "array",
        maxItems: 12,
        items: {
          anyOf: [
            edit("style", { axis: { enum: vocabulary.styleAxes.map((axis) => axis.id) }, pole: { enum: ["negative", "positive"] } }),
            edit("medium", { text: { type: "string" } }),
            edit("aspect", { width: { type: "integer" }, height: { type: "integer" } }),
            edit("background", { id: { enum: [...new Set(vocabulary.backgrounds.map((background) => background.id))] } }),
            edit("background", { phrase: { type: "string" }, slot: { enum: ["sky", "ground", "backdrop"] } }),
            edit("position", { target, position: { enum: vocabulary.positions.map((position) => position.id) } }),
            edit("colour", { target, colour: { enum: vocabulary.colours } }),
            edit("size", { target, size: { enum: vocabulary.sizes.map((size) => size.value) } }),
            edit("add", { text: { type: "string" } }),
            edit("action", { text: { type: "string" } }),
            edit("remove", { what: { type: "string" } }),
            edit("replace", { target, text: { type: "string" } }),
          ],
        },
      },
    },
  };
}

function targetOf(value: string): TTarget {
  const lower = value.toLowerCase();
  if (lower === "main" || lower === "it" || lower === "subject") return { kind: "main" };
  if (lower === "background" || lower === "sky") return { kind: "background", whole: lower === "background" };
  const noun = value.split(/\s+/).at(-1) ?? value;
  return { kind: "named", noun, text: value };
}

/** The LLM's edits in the rules' edit model, or the first reason one does not fit this model's vocabulary. */
export function editsFromLlm(reply: TLlmEditReply, vocabulary: TDraftVocabulary): TEdit[] | string {
  const edits: TEdit[] = [];
  for (const edit of reply.edits) {
    switch (edit.kind) {
      case "style": {
        const axis = vocabulary.styleAxes.find((candidate) => candidate.id === edit.axis);
        if (!axis) return `unknown style axis "${edit.axis}"`;
        edits.push({ kind: "style", axis, pole: edit.pole });
        break;
      }
      case "medium":
        edits.push({ kind: "medium", text: edit.text });
        break;
      case "aspect":
        edits.push({ kind: "aspect", ratio: { width: edit.width, height: edit.height } });
        break;
      case "background": {
        const known = edit.id === undefined ? undefined : vocabulary.backgrounds.find((candidate) => candidate.id === edit.id);
        if (edit.id !== undefined && !known) return `unknown background "${edit.id}"`;
        if (known) edits.push({ kind: "background", phrase: known.phrase, slot: known.slot });
        else if (edit.phrase && edit.slot) edits.push({ kind: "background", phrase: edit.phrase, slot: edit.slot });
        else return "a background needs an id, or a phrase and a slot";
        break;
      }
      case "position": {
        const position = vocabulary.positions.find((candidate) => candidate.id === edit.position);
        if (!position) return `unknown position "${edit.position}"`;
        edits.push({ kind: "position", target: targetOf(edit.target), position });
        break;
      }
      case "colour":
        if (!vocabulary.colours.some((colour) => colour.toLowerCase() === edit.colour.toLowerCase())) return `unknown colour "${edit.colour}"`;
        edits.push({ kind: "colour", target: targetOf(edit.target), colour: edit.colour.toLowerCase() });
        break;
      case "size":
        if (!vocabulary.sizes.some((size) => size.value === edit.size)) return `unknown size "${edit.size}"`;
        edits.push({ kind: "size", target: targetOf(edit.target), size: edit.size });
        break;
      case "add":
      case "action":
        edits.push({ kind: edit.kind, text: edit.text });
        break;
      case "remove":
        edits.push({ kind: "remove", what: edit.what });
        break;
      case "replace":
        edits.push({ kind: "replace", target: targetOf(edit.target), text: edit.text });
        break;
    }
  }
  return edits;
}
