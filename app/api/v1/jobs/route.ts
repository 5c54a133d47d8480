import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { listJobsForUser } from "@/lib/server/jobs/read-jobs";

// A prompt with its --parameters; 202 with the queued job. The store is passed for `--sref URL` (saved as an upload).
export const POST = route(endpoints.submitJob, async ({ principal, body }) => {
  const web = getWebContext();
  return { status: 202, body: await createImagineJobs({ ...web.jobs, storage: web.storage }, principal, body) };
});

export const GET = route(endpoints.listJobs, async ({ principal, query }) => ({ status: 200, body: await listJobsForUser(getWebContext().db, principal.userId, query) }));
