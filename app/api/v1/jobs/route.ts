import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZCreateJobRequest, ZJobListQuery } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { listJobsForUser } from "@/lib/server/jobs/read-jobs";

// POST /api/v1/jobs – submit a prompt (with --parameters); 202 with the queued job
export const POST = apiRoute("user", async ({ req, principal }) => {
  const input = await readJson(req, ZCreateJobRequest);
  return Response.json(await createImagineJobs(getWebContext().jobs, principal, input), { status: 202 });
});

// GET /api/v1/jobs?cursor= – the caller's jobs, newest first
export const GET = apiRoute("user", async ({ req, principal }) => {
  const query = parseParams(ZJobListQuery, Object.fromEntries(new URL(req.url).searchParams));
  return Response.json(await listJobsForUser(getWebContext().db, principal.userId, query));
});
