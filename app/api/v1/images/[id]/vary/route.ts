import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZIdParam } from "@/lib/schemas/account";
import { ZVaryRequest } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import { createVaryJob } from "@/lib/server/jobs/derive-jobs";

// POST /api/v1/images/:id/vary – Vary (Subtle or Strong): four new images from this one
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZIdParam, params);
  const { strength } = await readJson(req, ZVaryRequest);
  return Response.json(await createVaryJob(getWebContext().jobs, principal, id, strength), { status: 202 });
});
