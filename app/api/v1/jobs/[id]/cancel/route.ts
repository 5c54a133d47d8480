import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { cancelJob } from "@/lib/server/jobs/cancel-job";

// POST /api/v1/jobs/:id/cancel – remove a queued job or stop a running one
export const POST = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await cancelJob(getWebContext().jobs, principal.userId, id));
});
