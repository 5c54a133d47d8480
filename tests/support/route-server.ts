import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./worker-process";

/**
 * The studio's real `/api/v1` route handlers (the same modules Next.js
 * serves, with their auth, validation, error mapping and web context) behind
 * a plain Node HTTP server, for chaos and load tests that need real HTTP and
 * SSE without a production Next build. Only the routing table is ours.
 */
// Method shorthand: checked bivariantly, so handlers with typed params fit.
interface RouteModule {
  GET?(req: Request, segment: { params: Promise<Record<string, string>> }): Promise<Response>;
  POST?(req: Request, segment: { params: Promise<Record<string, string>> }): Promise<Response>;
  PATCH?(req: Request, segment: { params: Promise<Record<string, string>> }): Promise<Response>;
  DELETE?(req: Request, segment: { params: Promise<Record<string, string>> }): Promise<Response>;
}

const METHODS = ["GET", "POST", "PATCH", "DELETE"] as const;

// First match wins: fixed paths (jobs/estimate) come before their [id] siblings.
const ROUTES: Array<{ pattern: RegExp; load: () => Promise<RouteModule> }> = [
  { pattern: /^\/api\/v1\/jobs$/, load: () => import("@/app/api/v1/jobs/route") },
  { pattern: /^\/api\/v1\/jobs\/estimate$/, load: () => import("@/app/api/v1/jobs/estimate/route") },
  { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/jobs/[id]/route") },
  { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)\/events$/, load: () => import("@/app/api/v1/jobs/[id]/events/route") },
  { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)\/cancel$/, load: () => import("@/app/api/v1/jobs/[id]/cancel/route") },
  { pattern: /^\/api\/v1\/jobs\/(?<id>[^/]+)\/rerun$/, load: () => import("@/app/api/v1/jobs/[id]/rerun/route") },
  { pattern: /^\/api\/v1\/images$/, load: () => import("@/app/api/v1/images/route") },
  { pattern: /^\/api\/v1\/images\/(?<id>[^/]+)\/file$/, load: () => import("@/app/api/v1/images/[id]/file/route") },
  { pattern: /^\/api\/v1\/uploads$/, load: () => import("@/app/api/v1/uploads/route") },
  { pattern: /^\/api\/v1\/uploads\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/uploads/[id]/route") },
  { pattern: /^\/api\/v1\/uploads\/(?<id>[^/]+)\/file$/, load: () => import("@/app/api/v1/uploads/[id]/file/route") },
  { pattern: /^\/api\/v1\/me$/, load: () => import("@/app/api/v1/me/route") },
  { pattern: /^\/api\/v1\/me\/usage$/, load: () => import("@/app/api/v1/me/usage/route") },
  { pattern: /^\/api\/v1\/health$/, load: () => import("@/app/api/v1/health/route") },
  { pattern: /^\/api\/v1\/personalization\/pairs\/next$/, load: () => import("@/app/api/v1/personalization/pairs/next/route") },
  { pattern: /^\/api\/v1\/personalization\/pairs\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/personalization/pairs/[id]/route") },
  { pattern: /^\/api\/v1\/personalization\/profile$/, load: () => import("@/app/api/v1/personalization/profile/route") },
  { pattern: /^\/api\/v1\/personalization\/images\/(?<id>[^/]+)$/, load: () => import("@/app/api/v1/personalization/images/[id]/route") },
];

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Configures the web context for this process (it is a process-wide
 * singleton, like in the Next server) and serves the routes above.
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
  const modules = await Promise.all(ROUTES.map(async (route) => ({ pattern: route.pattern, module: await route.load() })));

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(599, { "content-type": "text/plain" });
      outgoing.end(`route server: ${String(error)}`);
    });
  });
  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    const url = new URL(incoming.url ?? "/", "http://localhost:3000");
    const route = modules.find((candidate) => candidate.pattern.test(url.pathname));
    const method = METHODS.find((candidate) => candidate === incoming.method);
    const handler = method && route?.module[method]?.bind(route.module);
    if (!route || !method || !handler) {
      outgoing.writeHead(404).end();
      return;
    }
    const params = { ...route.pattern.exec(url.pathname)?.groups };
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
