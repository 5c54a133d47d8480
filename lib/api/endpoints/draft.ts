import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZDraftMessageRequest, ZDraftSession, ZDraftSessionList, ZStartDraftRequest } from "@/lib/schemas/draft";
import { defineEndpoint } from "../contract";

export const listDraftSessions = defineEndpoint({
  method: "GET",
  path: "/api/v1/draft/sessions",
  access: "user",
  summary: "Your draft sessions",
  responses: { 200: { schema: ZDraftSessionList, description: "Sessions, most recent first" } },
});

export const startDraftSession = defineEndpoint({
  method: "POST",
  path: "/api/v1/draft/sessions",
  access: "user",
  summary: "Start a draft session",
  body: ZStartDraftRequest,
  responses: { 201: { schema: ZDraftSession, description: "The session with its first turn (four drafts queued)" } },
});

export const getDraftSession = defineEndpoint({
  method: "GET",
  path: "/api/v1/draft/sessions/{id}",
  access: "user",
  summary: "One draft session",
  params: ZIdParam,
  responses: { 200: { schema: ZDraftSession, description: "The session" }, 404: { schema: ZErrorResponse, description: "No such session" } },
});

export const sendDraftMessage = defineEndpoint({
  method: "POST",
  path: "/api/v1/draft/sessions/{id}/messages",
  access: "user",
  summary: "Send a follow-up",
  description:
    '`{ message }` is plain language ("make the house red", "no clouds", "make it wide") rewritten into the next prompt; `{ prompt }` is a prompt edited by hand. Either drafts four new images. `fromTurnId` continues from an earlier turn (a branch). "undo that" / "go back to the first one" adds an `undo` turn that restores an earlier prompt without drafting. A follow-up that is unclear or could only be read destructively adds a `clarify` turn (a question with two or three readings to send next) and drafts nothing; both are ordinary 201 answers.',
  params: ZIdParam,
  body: ZDraftMessageRequest,
  responses: {
    201: { schema: ZDraftSession, description: "The session with the new turn (drafted, undo or clarify)" },
    400: { schema: ZErrorResponse, description: "An invalid prompt, or a fromTurnId that is not a turn of this session" },
    404: { schema: ZErrorResponse, description: "No such session" },
  },
});
