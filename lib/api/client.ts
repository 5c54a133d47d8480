import { fillPath, type BodyInput, type EndpointSpec, type ParamsInput, type QueryInput, type SuccessBody } from "./contract";

/**
 * The browser's client for the studio's own /api/v1: one call per endpoint
 * contract, with path params, query, body and the answer typed from it.
 * Errors come back as `ApiError` carrying the API's `{ error: { code, message } }`.
 */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly fields: Record<string, string> | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Part<K extends string, T> = [T] extends [undefined] ? unknown : object extends T ? { [P in K]?: T } : { [P in K]: T };

/** What a call needs: `params` for `{id}` paths, `query`, and `body` (a JSON value, or `file` for an upload). */
export type CallArgs<E extends EndpointSpec> = Part<"params", ParamsInput<E>> &
  Part<"query", QueryInput<E>> &
  ([BodyInput<E>] extends [undefined] ? unknown : { body: BodyInput<E> }) &
  (E extends { binaryBody: object } ? { file: Blob } : unknown) & { signal?: AbortSignal };

/** `[args]` when something is required, `[args?]` when everything is optional. */
export type CallRest<E extends EndpointSpec> = object extends CallArgs<E> ? [args?: CallArgs<E>] : [args: CallArgs<E>];

interface LooseArgs {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  file?: Blob;
  signal?: AbortSignal;
}

/** The URL of an endpoint with its params and query filled in (for links, `<img src>` and EventSource). */
export function apiUrl<E extends EndpointSpec>(endpoint: E, ...[args]: CallRest<E>): string {
  const { params, query } = (args ?? {}) as LooseArgs;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return fillPath(endpoint.path, params) + (text ? `?${text}` : "");
}

async function errorFrom(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => null);
  const error = typeof payload === "object" && payload && "error" in payload && typeof payload.error === "object" && payload.error ? (payload.error as Record<string, unknown>) : {};
  const message = typeof error.message === "string" ? error.message : `Request failed (${response.status}).`;
  return new ApiError(message, response.status, typeof error.code === "string" ? error.code : undefined, error.fields as Record<string, string> | undefined);
}

/** Sends the request and returns the raw answer (for files and zips); a non-2xx answer throws `ApiError`. */
export async function apiRequest<E extends EndpointSpec>(endpoint: E, ...rest: CallRest<E>): Promise<Response> {
  const args = (rest[0] ?? {}) as LooseArgs;
  let headers: Record<string, string> = {};
  let body: BodyInit | undefined;
  if (args.file) {
    headers = { "Content-Type": args.file.type || "application/octet-stream" };
    body = args.file;
  } else if (args.body !== undefined) {
    headers = { "Content-Type": "application/json" };
    body = JSON.stringify(args.body);
  }
  const response = await fetch(apiUrl(endpoint, ...rest), { method: endpoint.method, headers, body, signal: args.signal });
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** Calls the endpoint and returns its JSON answer, typed by the contract (`undefined` for 204). */
export async function callApi<E extends EndpointSpec>(endpoint: E, ...rest: CallRest<E>): Promise<SuccessBody<E>> {
  const response = await apiRequest(endpoint, ...rest);
  if (response.status === 204) return undefined as SuccessBody<E>;
  return (await response.json()) as SuccessBody<E>;
}
