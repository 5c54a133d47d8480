import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { resolveModel } from "@/lib/server/jobs/create-imagine-jobs";
import { enqueuePoolJob, poolSize } from "@/lib/server/personalization/pool";

export const POST = route(endpoints.renderPool, async ({ body: { model: modelId, rerender } }) => {
  const { jobs } = getWebContext();
  const model = await resolveModel(jobs, modelId);
  const queued = await enqueuePoolJob(jobs.queue, model.id, { ...(rerender && { rerender }) });
  return { status: 202, body: { model: model.id, images: await poolSize(jobs.db, model.id), queued } };
});
