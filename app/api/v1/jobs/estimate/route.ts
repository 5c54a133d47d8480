import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { estimatePrompt } from "@/lib/server/jobs/estimate-prompt";

// What a prompt would cost, before submitting it.
export const POST = route(endpoints.estimateJob, async ({ principal, body }) => ({ status: 200, body: await estimatePrompt(getWebContext().jobs, principal.userId, body) }));
