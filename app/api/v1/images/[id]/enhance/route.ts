import { apiRoute, parseParams } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { getWebContext } from "@/lib/server/context";
import { createEnhanceJob } from "@/lib/server/jobs/derive-jobs";

// POST /api/v1/images/:id/enhance – a draft image again at full quality
export const POST = apiRoute<{ id: string }>("user", async ({ principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  return Response.json(await createEnhanceJob(getWebContext().jobs, principal, id), { status: 202 });
});
