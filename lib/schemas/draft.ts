import { z } from "zod";
import { safeText } from "./common";
import { ZJobView } from "./jobs";

const ZDraftPrompt = safeText("prompt", 6000);
export const ZStartDraftRequest = z.strictObject({ prompt: ZDraftPrompt });
export const ZDraftMessageRequest = z.union([
  z.strictObject({ message: safeText("message", 500) }),
  z.strictObject({ prompt: ZDraftPrompt }),
]);

export const ZDraftChange = z.object({ kind: z.enum(["added", "removed", "replaced"]), text: z.string(), with: z.string().optional() });

export const ZDraftTurn = z
  .object({
    id: z.string(),
    index: z.number().int(),
    message: z.string(),
    prompt: z.string(),
    changes: z.array(ZDraftChange),
    source: z.enum(["start", "rules", "llm", "prompt"]),
    job: ZJobView.nullable(),
    /** Enhance / Vary / Upscale jobs made from this turn's drafts. */
    followUps: z.array(ZJobView),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "DraftTurn" });
export type TDraftTurn = z.infer<typeof ZDraftTurn>;

export const ZDraftSession = z
  .object({ id: z.string(), title: z.string(), prompt: z.string(), createdAt: z.iso.datetime(), updatedAt: z.iso.datetime(), turns: z.array(ZDraftTurn) })
  .meta({ id: "DraftSession" });
export type TDraftSession = z.infer<typeof ZDraftSession>;

export const ZDraftSessionSummary = z
  .object({ id: z.string(), title: z.string(), prompt: z.string(), turns: z.number().int(), updatedAt: z.iso.datetime(), thumbUrl: z.string().nullable() })
  .meta({ id: "DraftSessionSummary" });
export const ZDraftSessionList = z.object({ sessions: z.array(ZDraftSessionSummary) }).meta({ id: "DraftSessionList" });
