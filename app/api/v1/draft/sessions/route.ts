import { apiRoute, readJson } from "@/lib/api/route";
import { ZStartDraftRequest } from "@/lib/schemas/draft";
import { getWebContext } from "@/lib/server/context";
import { listDraftSessions, startDraftSession } from "@/lib/server/draft/sessions";

// GET /api/v1/draft/sessions – the caller's draft sessions, most recent first
export const GET = apiRoute("user", async ({ principal }) => Response.json(await listDraftSessions(getWebContext().jobs, principal.userId)));

// POST /api/v1/draft/sessions – start a session: its first prompt drafts four images
export const POST = apiRoute("user", async ({ req, principal }) => {
  const { prompt } = await readJson(req, ZStartDraftRequest);
  return Response.json(await startDraftSession(getWebContext().jobs, principal, prompt), { status: 201 });
});
