import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { cancelJob } from "@/lib/server/jobs/cancel-job";

// Removes a queued job or stops a running one.
export const POST = route(endpoints.cancelJob, async ({ principal, params }) => ({ status: 200, body: await cancelJob(getWebContext().jobs, principal.userId, params.id) }));
