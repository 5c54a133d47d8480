import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";
import { answerPair } from "@/lib/server/personalization/service";

// { choice: "left" | "right" | "skip", latencyMs? }
export const POST = route(endpoints.answerPair, async ({ principal, params, body }) => ({
  status: 200,
  body: await answerPair(getWebContext().jobs, principal.userId, params.id, body),
}));
