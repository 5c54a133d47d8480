import "server-only";
import { readJson } from "@/lib/api/route";
import { withNoStore } from "@/lib/api/no-store";
import type { Principal } from "@/lib/server/principal";
import { requireTokenPrincipal } from "../auth";
import { protocolContext, type ProtocolContext } from "../context";
import { toOpenAiError } from "./errors";

export { readJson };

/**
 * A route of the OpenAI-compatible API: the caller is an API token
 * (Bearer), every answer is private and uncached, every error is in
 * OpenAI's shape (./errors.ts).
 */
export function openAiRoute(handler: (input: { req: Request; principal: Principal; web: ProtocolContext }) => Promise<unknown>) {
  return async (req: Request): Promise<Response> => {
    try {
      const principal = await requireTokenPrincipal(req.headers);
      const result = await handler({ req, principal, web: protocolContext("openai") });
      return withNoStore(result instanceof Response ? result : Response.json(result));
    } catch (error) {
      return toOpenAiError(error);
    }
  };
}
