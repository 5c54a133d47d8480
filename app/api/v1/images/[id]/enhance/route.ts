import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createEnhanceJob } from "@/lib/server/jobs/derive-jobs";

export const POST = route(endpoints.enhanceImage, async ({ principal, params }) => ({
  status: 202,
  body: await createEnhanceJob(getWebContext().jobs, principal, params.id),
}));
