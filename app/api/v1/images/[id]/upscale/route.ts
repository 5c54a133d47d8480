import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createUpscaleJob } from "@/lib/server/jobs/derive-jobs";

export const POST = route(endpoints.upscaleImage, async ({ principal, params, body }) => ({
  status: 202,
  body: await createUpscaleJob(getWebContext().jobs, principal, params.id, body.kind),
}));
