import "server-only";
import { ZodError } from "zod";
import { withNoStore } from "@/lib/api/no-store";
import { toErrorResponse } from "@/lib/api/route";
import { AppError } from "@/lib/errors";
import type { Principal } from "@/lib/server/principal";
import { requireTokenPrincipal } from "../auth";
import { protocolContext, type ProtocolContext } from "../context";
import { JobWaitError } from "../wait-for-jobs";

/**
 * A route of the AUTOMATIC1111-compatible API: the caller is an API token,
 * as Bearer or as the password of HTTP Basic (what `--api-auth` clients
 * send); errors are in A1111's (FastAPI's) shape, `{ error, detail }`, with
 * Mirage's statuses (402 no fast time, 429 limits), which those clients show.
 */
export function a1111Error(status: number, error: string, detail: string): Response {
  return withNoStore(Response.json({ error, detail, body: "", errors: detail }, { status }));
}

function toA1111Error(error: unknown): Response {
  if (error instanceof AppError) return a1111Error(error.status, error.code, error.message);
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue?.path.join(".");
    return a1111Error(422, "RequestValidationError", where ? `${where}: ${issue?.message}` : `Invalid request: ${issue?.message}`);
  }
  if (error instanceof JobWaitError) return a1111Error(error.status, `Job${error.reason[0]!.toUpperCase()}${error.reason.slice(1)}`, error.message);
  const fallback = toErrorResponse(error);
  return a1111Error(fallback.status, "InternalError", "Something went wrong on the studio's side. It has been logged; try again.");
}

export function a1111Route(handler: (input: { req: Request; principal: Principal; web: ProtocolContext }) => Promise<unknown>) {
  return async (req: Request): Promise<Response> => {
    try {
      const principal = await requireTokenPrincipal(req.headers, { basic: true });
      const result = await handler({ req, principal, web: protocolContext("a1111") });
      return withNoStore(Response.json(result));
    } catch (error) {
      return toA1111Error(error);
    }
  };
}
