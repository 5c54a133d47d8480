import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createVaryJob } from "@/lib/server/jobs/derive-jobs";

export const POST = route(endpoints.varyImage, async ({ principal, params, body }) => ({
  status: 202,
  body: await createVaryJob(getWebContext().jobs, principal, params.id, body.strength, body.prompt),
}));
