import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { createRerunJob } from "@/lib/server/jobs/derive-jobs";

// POST /api/v1/jobs/:id/rerun – same recipe, new seeds
export const POST = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await createRerunJob(getWebContext().jobs, principal, id), { status: 202 });
});
