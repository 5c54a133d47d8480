import type { BodyOf, EndpointSpec, ParamsOf, QueryOf, Reply } from "./contract";
import { assertSameOrigin } from "./csrf";
import { withNoStore } from "./no-store";
import { errorResponse, parseParams, readJson, toErrorResponse } from "./route";
import { requireAdmin, requirePrincipal, type Principal } from "@/lib/server/principal";

/** What a handler gets: the caller and the request's parts, already validated against the contract. */
export interface HandlerInput<E extends EndpointSpec> {
  req: Request;
  principal: E["access"] extends "public" ? null : Principal;
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
}

/**
 * A Next.js route handler that carries the contract it serves, so the test
 * router and the contract/route unit test can check the binding. The segment
 * params are `unknown` here: the contract's schema decides what they are.
 */
export type BoundRoute<E extends EndpointSpec = EndpointSpec> = ((req: Request, segment: { params: Promise<unknown> }) => Promise<Response>) & {
  readonly endpoint: E;
};

function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

function replyResponse(reply: { status: number; body?: unknown; headers?: HeadersInit }): Response {
  if (reply.status === 204) return new Response(null, { status: 204, headers: reply.headers });
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}

/**
 * Serves one endpoint contract: resolves who is asking (401 if nobody, unless
 * the endpoint is public), enforces the admin role, refuses cross-site writes
 * that ride on the session cookie, validates path params, query and JSON body
 * with the contract's schemas, and maps every error to `{ error: { code, message } }`.
 * The handler answers `{ status, body }` (checked against the contract's
 * responses) or, for files and streams, a raw `Response`.
 */
export function route<E extends EndpointSpec>(endpoint: E, handler: (input: HandlerInput<E>) => Promise<Response | Reply<E>>): BoundRoute<E> {
  const serve = async (req: Request, segment: { params: Promise<unknown> }): Promise<Response> => {
    try {
      let principal: Principal | null = null;
      if (endpoint.access !== "public") {
        principal = await requirePrincipal(req.headers);
        if (endpoint.access === "admin") requireAdmin(principal);
        if (isWrite(req.method) && principal.via === "session") assertSameOrigin(req);
      }
      const params: unknown = endpoint.params ? parseParams(endpoint.params, await segment.params) : undefined;
      const query: unknown = endpoint.query ? parseParams(endpoint.query, Object.fromEntries(new URL(req.url).searchParams)) : undefined;
      const body: unknown = endpoint.body ? await readJson(req, endpoint.body) : undefined;
      // The casts restate what the checks above established: each part parsed with the contract's own schema.
      const result = await handler({ req, principal, params, query, body } as HandlerInput<E>);
      return withNoStore(result instanceof Response ? result : replyResponse(result as { status: number; body?: unknown; headers?: HeadersInit }));
    } catch (error) {
      return toErrorResponse(error);
    }
  };
  return Object.assign(serve, { endpoint });
}

/**
 * The `[...rest]` catch-all: unknown paths answer 401 to a caller who is not
 * signed in and 404 otherwise, so the API never reveals which paths exist.
 */
export async function unknownRoute(req: Request): Promise<Response> {
  try {
    const principal = await requirePrincipal(req.headers);
    if (isWrite(req.method) && principal.via === "session") assertSameOrigin(req);
    return errorResponse("NOT_FOUND", `No API route ${req.method} ${new URL(req.url).pathname}. See /api/v1/openapi.json.`, 404);
  } catch (error) {
    return toErrorResponse(error);
  }
}
