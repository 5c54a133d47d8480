import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import path from "node:path";
import { pathParamNames, routeDirectory } from "@/lib/api/contract";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./worker-process";

/**
 * The studio's real `/api/v1` route handlers (the same modules Next.js
 * serves, with their auth, validation, error mapping and web context) behind
 * a plain Node HTTP server, for chaos and load tests that need real HTTP and
 * SSE without a production Next build. The routing table comes from the
 * endpoint contracts: each contract path names the route file Next.js would
 * load (`/api/v1/jobs/{id}/rerun` → `app/api/v1/jobs/[id]/rerun/route.ts`).
 */
type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;
type RouteModule = Partial<Record<string, Handler>>;

const API_ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");

interface Route {
  pattern: RegExp;
  /** Fewer params match first: `jobs/estimate` before `jobs/{id}`. */
  paramCount: number;
  module: RouteModule;
}

function patternFor(contractPath: string): RegExp {
  const source = contractPath
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      return param ? `(?<${param}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

async function loadRoutes(): Promise<Route[]> {
  const paths = [...new Set(ENDPOINTS.map((endpoint) => endpoint.path))];
  const routes = await Promise.all(
    paths.map(async (contractPath) => ({
      pattern: patternFor(contractPath),
      paramCount: pathParamNames(contractPath).length,
      module: (await import(path.join(API_ROOT, routeDirectory(contractPath), "route.ts"))) as RouteModule,
    })),
  );
  return routes.sort((a, b) => a.paramCount - b.paramCount);
}

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Configures the web context for this process (it is a process-wide
 * singleton, like in the Next server) and serves every contract's route;
 * other paths go to the `[...rest]` catch-all, as in Next.js.
 */
export async function startRouteServer(options: { databaseUrl: string; redisUrl: string; prefix: string; storageDir: string }): Promise<RouteServer> {
  Object.assign(process.env, {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    STORAGE_DIR: options.storageDir,
    MODELS_DIR: FIXTURE_MODELS_DIR,
    DEFAULT_MODEL: FIXTURE_MODEL,
    AUTH_SECRET: randomBytes(24).toString("hex"),
    PUBLIC_URL: "http://localhost:3000",
    LOG_LEVEL: process.env.ROUTE_LOG_LEVEL ?? "silent",
  });
  const routes = await loadRoutes();
  const catchAll = (await import(path.join(API_ROOT, "[...rest]", "route.ts"))) as RouteModule;

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(599, { "content-type": "text/plain" });
      outgoing.end(`route server: ${String(error)}`);
    });
  });
  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    const url = new URL(incoming.url ?? "/", "http://localhost:3000");
    const method = incoming.method ?? "GET";
    const route = routes.find((candidate) => candidate.pattern.test(url.pathname));
    const handler = (route ? route.module : catchAll)[method];
    if (!handler) {
      // Like Next.js for a route file without this method.
      const allow = route ? Object.keys(route.module).filter((name) => /^[A-Z]+$/.test(name)) : [];
      outgoing.writeHead(405, { "content-type": "application/json", allow: allow.join(", ") });
      outgoing.end(JSON.stringify({ error: { code: "METHOD_NOT_ALLOWED", message: `${method} is not allowed on ${url.pathname}.` } }));
      return;
    }
    const params = { ...route?.pattern.exec(url.pathname)?.groups };
    const abort = new AbortController();
    outgoing.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const hasBody = method !== "GET" && incoming.headers["content-length"] !== "0";
    const request = new Request(url, {
      method,
      headers,
      signal: abort.signal,
      ...(hasBody && { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }),
    } as RequestInit);
    const response = await handler(request, { params: Promise.resolve(params) });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) {
      outgoing.end();
      return;
    }
    outgoing.flushHeaders();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (abort.signal.aborted) break;
        outgoing.write(chunk);
      }
    } finally {
      outgoing.end();
    }
  }

  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeWebContext();
    },
  };
}

/** Closes the process-wide web context's connections (so a test file can end). */
export async function closeWebContext(): Promise<void> {
  const holder = globalThis as typeof globalThis & { __mirageWeb?: { db: { $disconnect(): Promise<void> }; redis: { disconnect(): void }; jobs: { queue: { close(): Promise<void> } }; jobEvents: unknown } };
  const web = holder.__mirageWeb;
  if (!web) return;
  delete holder.__mirageWeb;
  const events = web.jobEvents as { close?: () => Promise<void> };
  await Promise.allSettled([web.jobs.queue.close(), events.close?.(), web.db.$disconnect()]);
  web.redis.disconnect();
}
