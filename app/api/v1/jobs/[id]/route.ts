import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";

// GET /api/v1/jobs/:id – one of the caller's jobs with its images
export const GET = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await getJobForUser(getWebContext().db, principal.userId, id));
});
