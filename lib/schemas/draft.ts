import { z } from "zod";
import { safeText } from "./common";
import { ZJobView } from "./jobs";

const ZDraftPrompt = safeText("prompt", 6000);
export const ZStartDraftRequest = z.strictObject({ prompt: ZDraftPrompt });
/** Continue from this turn (a branch); the session's current turn when absent. */
const ZFromTurn = z.string().min(1).max(100).optional();
export const ZDraftMessageRequest = z.union([
  z.strictObject({ message: safeText("message", 500), fromTurnId: ZFromTurn }),
  z.strictObject({ prompt: ZDraftPrompt, fromTurnId: ZFromTurn }),
]);

export const ZDraftChange = z.object({ kind: z.enum(["added", "removed", "replaced"]), text: z.string(), with: z.string().optional() });

/** A question back instead of a guess: each reading is a follow-up the user can send with one click. */
export const ZDraftReply = z.object({
  question: z.string(),
  readings: z.array(z.object({ label: z.string(), message: z.string() })),
});
export type TDraftReply = z.infer<typeof ZDraftReply>;

export const ZDraftTurn = z
  .object({
    id: z.string(),
    index: z.number().int(),
    message: z.string(),
    prompt: z.string(),
    changes: z.array(ZDraftChange),
    /** "undo": back to `parentId`'s prompt, no new drafts; "clarify": a question back (`reply`), nothing changed or drafted. */
    source: z.enum(["start", "rules", "llm", "prompt", "undo", "clarify"]),
    /** The turn this one continued from; null for the first. A turn whose parent is not the turn before it starts a branch. */
    parentId: z.string().nullable(),
    reply: ZDraftReply.nullable(),
    /** What the rules said about this turn beyond the change list ("I took out the night sky: brighter and night contradict"). */
    note: z.string().nullable(),
    job: ZJobView.nullable(),
    /** Enhance / Vary / Upscale jobs made from this turn's drafts. */
    followUps: z.array(ZJobView),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "DraftTurn" });
export type TDraftTurn = z.infer<typeof ZDraftTurn>;

export const ZDraftSession = z
  .object({
    id: z.string(),
    title: z.string(),
    prompt: z.string(),
    /** The turn the next follow-up continues from unless it names another. */
    headTurnId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    turns: z.array(ZDraftTurn),
  })
  .meta({ id: "DraftSession" });
export type TDraftSession = z.infer<typeof ZDraftSession>;

export const ZDraftSessionSummary = z
  .object({ id: z.string(), title: z.string(), prompt: z.string(), turns: z.number().int(), updatedAt: z.iso.datetime(), thumbUrl: z.string().nullable() })
  .meta({ id: "DraftSessionSummary" });
export const ZDraftSessionList = z.object({ sessions: z.array(ZDraftSessionSummary) }).meta({ id: "DraftSessionList" });
