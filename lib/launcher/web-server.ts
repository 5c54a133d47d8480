import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import next from "next";
import { stampClientAddress } from "@/lib/auth/client-address";
import { observeHttpRequest } from "@/lib/server/metrics/http-metrics";
import { loadRoutePatterns } from "@/lib/server/metrics/route-patterns";

/**
 * The web process: Next.js behind a plain Node HTTP server (what `next start`
 * does, plus three things only the server can do):
 * - the socket's peer address is stamped on each request, so sign-in limits
 *   key on an address the client cannot forge (lib/auth/client-address.ts);
 * - an API path (/api, /v1, /sdapi, /mcp) with a malformed percent-escape gets a JSON 400 instead of
 *   Next's plain-text error page;
 * - an API route asked with a method it does not implement answers a JSON
 *   405 with `Allow`, instead of Next's empty 405;
 * - every response is timed and counted for /metrics, labelled by its route
 *   pattern (lib/server/metrics/http-metrics.ts).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function sendJson(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Machine-facing paths: the studio API and the protocol endpoints (OpenAI- and SD-compatible, MCP). */
function isApiPath(url: string): boolean {
  return url.startsWith("/api/") || url.startsWith("/v1/") || url.startsWith("/sdapi/") || url === "/mcp" || url.startsWith("/mcp?") || url.startsWith("/mcp/");
}

function hasMalformedEscape(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0] ?? "");
    return false;
  } catch {
    return true;
  }
}

/**
 * Next.js answers an unimplemented method with an empty 405 from inside the
 * route module, where nothing of ours runs. Its automatic OPTIONS answer
 * carries the route's `Allow` list, so when an /api response starts out as a
 * 405, this takes the response over (Next.js's writes are swallowed, their
 * callbacks still called), asks the same route for OPTIONS, and sends the
 * documented JSON error with that list.
 */
function jsonMethodNotAllowed(req: IncomingMessage, res: ServerResponse, origin: string): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  let hijacked = false;
  const callCallback = (args: unknown[]) => {
    const callback = args.find((arg): arg is () => void => typeof arg === "function");
    if (callback) queueMicrotask(callback);
  };
  const takeOver = () => {
    hijacked = true;
    void fetch(`${origin}${req.url ?? "/"}`, { method: "OPTIONS" })
      .then((probe) => probe.headers.get("allow"))
      .catch(() => null)
      .then((allow) => {
        Object.assign(res, original);
        if (res.headersSent || res.destroyed) return;
        // Headers Next.js set for the body it meant to send (compression, length) do not describe ours.
        for (const name of ["content-encoding", "content-length", "transfer-encoding", "content-type"]) res.removeHeader(name);
        const allowed = allow ?? "";
        sendJson(res, 405, "METHOD_NOT_ALLOWED", `${req.method ?? "This method"} is not supported here.${allowed ? ` Allowed: ${allowed}.` : ""}`, allowed ? { allow: allowed } : {});
      })
      // A failure here must cost this response, never the process.
      .catch(() => res.destroy());
  };
  // Only Next.js's bodiless 405: a route's own JSON 405 (better-auth's, say) goes out as it is.
  const startsAs405 = (status = res.statusCode, headers?: unknown) =>
    !hijacked && !res.headersSent && status === 405 && !res.hasHeader("content-type") && !JSON.stringify(headers ?? {}).toLowerCase().includes("content-type");
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (startsAs405(status, rest.find((arg) => typeof arg === "object"))) takeOver();
    if (hijacked) return res;
    return (original.writeHead as (...args: unknown[]) => ServerResponse).call(res, status, ...rest);
  } as typeof res.writeHead;
  res.flushHeaders = function () {
    if (startsAs405()) takeOver();
    if (!hijacked) original.flushHeaders.call(res);
  };
  res.write = function (...args: unknown[]) {
    if (startsAs405()) takeOver();
    if (!hijacked) return (original.write as (...inner: unknown[]) => boolean).apply(res, args);
    callCallback(args);
    return true;
  } as typeof res.write;
  res.end = function (...args: unknown[]) {
    if (startsAs405()) takeOver();
    if (!hijacked) return (original.end as (...inner: unknown[]) => ServerResponse).apply(res, args);
    callCallback(args);
    return res;
  } as typeof res.end;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string" } } });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const app = next({ dev: false, dir: ROOT, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const origin = `http://127.0.0.1:${port}`;
  const routeOf = loadRoutePatterns(ROOT);
  const server = createServer((req, res) => {
    stampClientAddress(req);
    const url = req.url ?? "/";
    const started = process.hrtime.bigint();
    res.once("close", () =>
      observeHttpRequest({ method: req.method, route: routeOf(url.split("?")[0] ?? "/"), status: res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 }),
    );
    if (isApiPath(url)) {
      if (hasMalformedEscape(url)) {
        sendJson(res, 400, "BAD_REQUEST", "The URL has a malformed percent-escape (e.g. `%E0%A4%A`). Encode it with encodeURIComponent.");
        return;
      }
      jsonMethodNotAllowed(req, res, origin);
    }
    handle(req, res).catch((error: unknown) => {
      console.error("web: request failed", error);
      if (!res.headersSent) sendJson(res, 500, "INTERNAL", "Something went wrong on our side. It has been logged; try again.");
      else res.destroy();
    });
  });
  server.listen(port, () => console.log(`web listening on port ${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

await main();
