import { apiRoute, readJson } from "@/lib/api/route";
import { ZPoolRequest } from "@/lib/schemas/personalization";
import { getWebContext } from "@/lib/server/context";
import { resolveModel } from "@/lib/server/jobs/create-imagine-jobs";
import { enqueuePoolJob, poolSize } from "@/lib/server/personalization/pool";

// POST /api/v1/admin/personalization/pool – { model?, rerender? }: (re)render a model's ranking pool (admin)
export const POST = apiRoute("admin", async ({ req }) => {
  const { model: modelId, rerender } = await readJson(req, ZPoolRequest);
  const { jobs } = getWebContext();
  const model = await resolveModel(jobs, modelId);
  const queued = await enqueuePoolJob(jobs.queue, model.id, { ...(rerender && { rerender }) });
  return Response.json({ model: model.id, images: await poolSize(jobs.db, model.id), queued }, { status: 202 });
});
