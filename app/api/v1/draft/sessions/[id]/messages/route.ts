import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { sendDraftMessage } from "@/lib/server/draft/sessions";

// A follow-up ({ message }) or a hand-edited prompt ({ prompt }); drafts again.
export const POST = route(endpoints.sendDraftMessage, async ({ principal, params, body }) => {
  const { jobs, llm } = getWebContext();
  return { status: 201, body: await sendDraftMessage({ ...jobs, llm }, principal, params.id, body) };
});
