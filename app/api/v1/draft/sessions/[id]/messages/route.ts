import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZDraftMessageRequest } from "@/lib/schemas/draft";
import { getWebContext } from "@/lib/server/context";
import { sendDraftMessage } from "@/lib/server/draft/sessions";

// POST /api/v1/draft/sessions/:id/messages – a follow-up ({ message }) or a hand-edited prompt ({ prompt }); drafts again
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const input = await readJson(req, ZDraftMessageRequest);
  const { jobs, llm } = getWebContext();
  return Response.json(await sendDraftMessage({ ...jobs, llm }, principal, id, input), { status: 201 });
});
