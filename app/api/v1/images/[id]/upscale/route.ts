import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZUpscaleRequest } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import { createUpscaleJob } from "@/lib/server/jobs/derive-jobs";

// POST /api/v1/images/:id/upscale – Upscale (Subtle or Creative) to twice the size
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { kind } = await readJson(req, ZUpscaleRequest);
  return Response.json(await createUpscaleJob(getWebContext().jobs, principal, id, kind), { status: 202 });
});
