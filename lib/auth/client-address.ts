import type { IncomingMessage } from "node:http";

/**
 * Route handlers never see the TCP socket, and Next.js only fills in
 * `X-Forwarded-For` from the socket when the client did not send one, so the
 * header alone is whatever the client says. The studio's web server
 * (lib/launcher/web-server.ts) therefore writes the socket's address into this
 * header on every request, replacing anything the client sent under that name.
 */
export const CLIENT_ADDRESS_HEADER = "x-mirage-client-address";

/** Used when the header is missing (a server that does not stamp it): all such callers share one bucket. */
export const UNKNOWN_ADDRESS = "unknown";

/** Called by the HTTP server on each incoming request, before Next.js sees it. */
export function stampClientAddress(incoming: IncomingMessage): void {
  incoming.headers[CLIENT_ADDRESS_HEADER] = incoming.socket.remoteAddress ?? UNKNOWN_ADDRESS;
}

/**
 * The address to rate-limit by. Without a trusted proxy it is the socket's
 * peer. Behind one (`TRUST_PROXY=1`) it is the rightmost `X-Forwarded-For`
 * entry: the one the proxy itself appended; entries to its left came from the
 * client and can be anything.
 */
export function clientAddress(headers: Headers, options: { trustProxy: boolean }): string {
  const socket = headers.get(CLIENT_ADDRESS_HEADER)?.trim() || UNKNOWN_ADDRESS;
  if (!options.trustProxy) return socket;
  const forwarded = headers.get("x-forwarded-for")?.split(",").map((entry) => entry.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? socket;
}
