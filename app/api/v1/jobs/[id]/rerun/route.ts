import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createRerunJob } from "@/lib/server/jobs/derive-jobs";

// Same recipe, new seeds ({ exact: true } keeps the seeds).
export const POST = route(endpoints.rerunJob, async ({ principal, params, body }) => ({
  status: 202,
  body: await createRerunJob(getWebContext().jobs, principal, params.id, { exact: body.exact }),
}));
