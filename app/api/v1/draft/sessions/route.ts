import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { listDraftSessions, startDraftSession } from "@/lib/server/draft/sessions";

export const GET = route(endpoints.listDraftSessions, async ({ principal }) => ({ status: 200, body: await listDraftSessions(getWebContext().jobs, principal.userId) }));

// The first prompt drafts four images.
export const POST = route(endpoints.startDraftSession, async ({ principal, body }) => ({
  status: 201,
  body: await startDraftSession(getWebContext().jobs, principal, body.prompt),
}));
