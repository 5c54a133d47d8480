import type { z } from "zod";

/**
 * One contract per /api/v1 endpoint: method, path, who may call it, and the
 * zod schemas of its path params, query, body and responses. The route
 * wrapper (`route.ts`), the OpenAPI document (`openapi.ts`), the test
 * server's routing table and the browser client (`client.ts`) are all derived
 * from these objects, so this module and `endpoints/` must stay importable in
 * the browser: zod and types only, no server imports.
 */

export const HTTP_METHODS = ["GET", "POST", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** `public`: no caller needed; `user`: signed in or API token; `admin`: and the admin role. */
export type Access = "public" | "user" | "admin";

export interface ResponseSpec {
  description: string;
  /** The JSON body. Absent for files, streams and empty answers. */
  schema?: z.ZodType;
}

/** A body that is not JSON (an uploaded file): the handler reads it itself. */
export interface BinaryBodySpec {
  contentTypes: readonly string[];
}

export interface EndpointSpec {
  method: HttpMethod;
  /** OpenAPI style: `/api/v1/jobs/{id}/rerun`. */
  path: `/api/v1/${string}`;
  access: Access;
  summary: string;
  description?: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body, validated before the handler runs. */
  body?: z.ZodType;
  binaryBody?: BinaryBodySpec;
  /** Status → what it means. Error answers common to every non-public endpoint (400, 401, 403, 503) are added by the OpenAPI generator. */
  responses: Record<number, ResponseSpec>;
}

export function defineEndpoint<const E extends EndpointSpec>(spec: E): E {
  return spec;
}

type Schema<E, K extends keyof EndpointSpec> = K extends keyof E ? (E[K] extends z.ZodType ? E[K] : undefined) : undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What the handler receives, after validation. */
export type ParamsOf<E extends EndpointSpec> = Output<Schema<E, "params">>;
export type QueryOf<E extends EndpointSpec> = Output<Schema<E, "query">>;
export type BodyOf<E extends EndpointSpec> = Output<Schema<E, "body">>;

/** What a caller sends, before defaults and coercion. */
export type ParamsInput<E extends EndpointSpec> = Input<Schema<E, "params">>;
export type QueryInput<E extends EndpointSpec> = Input<Schema<E, "query">>;
export type BodyInput<E extends EndpointSpec> = Input<Schema<E, "body">>;

export type SuccessStatus = 200 | 201 | 202 | 204;

type ResponseBody<R> = R extends { schema: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The successful answers a handler may give: `{ status, body }` checked against the contract. */
export type Reply<E extends EndpointSpec> = {
  [S in keyof E["responses"] & SuccessStatus]: { status: S; body: ResponseBody<E["responses"][S]>; headers?: HeadersInit };
}[keyof E["responses"] & SuccessStatus];

/** The body of a successful answer, as the browser client sees it. */
export type SuccessBody<E extends EndpointSpec> = {
  [S in keyof E["responses"] & SuccessStatus]: ResponseBody<E["responses"][S]>;
}[keyof E["responses"] & SuccessStatus];

/** `{id}` names in a contract path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
}

/** The concrete URL path: `{name}` replaced by the encoded param. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === "") throw new Error(`Missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** Where Next.js keeps the route file for a contract path: `{id}` → `[id]`. */
export function routeDirectory(path: string): string {
  return path.replace(/^\/api\/v1\//, "").replace(/\{(\w+)\}/g, "[$1]");
}
