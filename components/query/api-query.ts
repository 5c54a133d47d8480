"use client";

import { queryOptions } from "@tanstack/react-query";
import { callApi, type CallArgs, type CallRest } from "@/lib/api/client";
import type { EndpointSpec } from "@/lib/api/contract";

/**
 * The cache key of an endpoint call: its method and path, then its params
 * and query. Invalidating `apiKey(endpoint)` covers every call to it.
 */
export function apiKey<E extends EndpointSpec>(endpoint: E, args?: CallArgs<E>): readonly unknown[] {
  const { params, query } = (args ?? {}) as { params?: unknown; query?: unknown };
  return args ? [endpoint.method, endpoint.path, params ?? null, query ?? null] : [endpoint.method, endpoint.path];
}

/** TanStack Query options for a GET endpoint: `useQuery(apiQuery(endpoints.listFolders))`. */
export function apiQuery<E extends EndpointSpec & { method: "GET" }>(endpoint: E, ...rest: CallRest<E>) {
  const args = (rest[0] ?? {}) as CallArgs<E>;
  return queryOptions({
    queryKey: apiKey(endpoint, args),
    queryFn: ({ signal }) => callApi(endpoint, ...([{ ...args, signal }] as CallRest<E>)),
  });
}
