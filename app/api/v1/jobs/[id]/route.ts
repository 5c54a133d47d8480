import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { getJobForUser } from "@/lib/server/jobs/read-jobs";

export const GET = route(endpoints.getJob, async ({ principal, params }) => ({ status: 200, body: await getJobForUser(getWebContext().db, principal.userId, params.id) }));
