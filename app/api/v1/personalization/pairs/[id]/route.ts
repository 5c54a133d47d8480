import { apiRoute, parseParams, readJson } from "@/lib/api/route";
import { ZPairAnswerRequest, ZPairIdParam } from "@/lib/schemas/personalization";
import { getWebContext } from "@/lib/server/context";
import { answerPair } from "@/lib/server/personalization/service";

// POST /api/v1/personalization/pairs/:id – { choice: "left" | "right" | "skip", latencyMs? }
export const POST = apiRoute<{ id: string }>("user", async ({ req, principal, params }) => {
  const { id } = parseParams(ZPairIdParam, params);
  const body = await readJson(req, ZPairAnswerRequest);
  return Response.json(await answerPair(getWebContext().jobs, principal.userId, id, body));
});
