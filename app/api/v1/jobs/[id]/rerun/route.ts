import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZRerunRequest } from "@/lib/schemas/jobs";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { createRerunJob } from "@/lib/server/jobs/derive-jobs";

// POST /api/v1/jobs/:id/rerun – same recipe, new seeds ({ exact: true } keeps the seeds)
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { exact } = await readJson(req, ZRerunRequest);
  return Response.json(await createRerunJob(getWebContext().jobs, principal, id, { exact }), { status: 202 });
});
