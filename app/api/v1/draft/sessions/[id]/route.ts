import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { getDraftSession } from "@/lib/server/draft/sessions";

// GET /api/v1/draft/sessions/:id – one session with its turns and their drafts
export const GET = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await getDraftSession(getWebContext().jobs, principal.userId, id));
});
