import { apiRoute, readJson } from "@/lib/api/route";
import { ZEstimateRequest } from "@/lib/schemas/usage";
import { getWebContext } from "@/lib/server/context";
import { estimatePrompt } from "@/lib/server/jobs/estimate-prompt";

// POST /api/v1/jobs/estimate – what a prompt would cost, before submitting it
export const POST = apiRoute("user", async ({ req, principal }) =>
  Response.json(await estimatePrompt(getWebContext().jobs, principal.userId, await readJson(req, ZEstimateRequest))),
);
