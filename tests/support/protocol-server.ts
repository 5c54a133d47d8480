import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { closeWebContext } from "./route-server";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./worker-process";

/**
 * The protocol APIs' real route modules (OpenAI /v1, AUTOMATIC1111 /sdapi,
 * MCP /mcp: the files Next.js serves) behind a plain Node HTTP server, like
 * route-server.ts does for /api/v1. The routing table is the folders
 * themselves: `app/v1/files/images/[id]/route.ts` serves `/v1/files/images/{id}`.
 */
type Handler = (req: Request, segment: { params: Promise<unknown> }) => Promise<Response>;
type RouteModule = Partial<Record<string, Handler>>;

const APP = path.resolve(import.meta.dirname, "../../app");
const PROTOCOL_ROOTS = ["v1", "sdapi", "mcp"];

async function routeFiles(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(APP, folder), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.filter((entry) => entry.isDirectory()).map((entry) => routeFiles(path.join(folder, entry.name))));
  return [...(entries.some((entry) => entry.name === "route.ts") ? [folder] : []), ...nested.flat()];
}

async function loadRoutes() {
  const folders = (await Promise.all(PROTOCOL_ROOTS.map(routeFiles))).flat();
  return Promise.all(
    folders.map(async (folder) => ({
      pattern: new RegExp(`^/${folder.split(path.sep).map((segment) => /^\[(\w+)\]$/.exec(segment)?.[1] ? `(?<${/^\[(\w+)\]$/.exec(segment)![1]}>[^/]+)` : segment).join("/")}$`),
      module: (await import(path.join(APP, folder, "route.ts"))) as RouteModule,
    })),
  );
}

export interface ProtocolServer {
  url: string;
  close(): Promise<void>;
}

export async function startProtocolServer(options: { databaseUrl: string; redisUrl: string; prefix: string; storageDir: string }): Promise<ProtocolServer> {
  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(599, { "content-type": "text/plain" });
      outgoing.end(`protocol server: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The web context is a process-wide singleton configured from the environment, as in the Next server;
  // PUBLIC_URL is this server, so signed links point back at it.
  Object.assign(process.env, {
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    STORAGE_DIR: options.storageDir,
    MODELS_DIR: FIXTURE_MODELS_DIR,
    DEFAULT_MODEL: FIXTURE_MODEL,
    AUTH_SECRET: randomBytes(24).toString("hex"),
    PUBLIC_URL: url,
    LOG_LEVEL: process.env.ROUTE_LOG_LEVEL ?? "silent",
  });
  const routes = await loadRoutes();

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    const requestUrl = new URL(incoming.url ?? "/", url);
    const method = incoming.method ?? "GET";
    const route = routes.find((candidate) => candidate.pattern.test(requestUrl.pathname));
    const handler = route?.module[method];
    if (!handler) {
      outgoing.writeHead(route ? 405 : 404, { "content-type": "application/json" });
      outgoing.end(JSON.stringify({ error: { message: `${method} ${requestUrl.pathname} is not served here.` } }));
      return;
    }
    const abort = new AbortController();
    outgoing.on("close", () => abort.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const hasBody = method !== "GET" && method !== "HEAD" && incoming.headers["content-length"] !== "0";
    const request = new Request(requestUrl, {
      method,
      headers,
      signal: abort.signal,
      ...(hasBody && { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }),
    } as RequestInit);
    const response = await handler(request, { params: Promise.resolve({ ...route.pattern.exec(requestUrl.pathname)?.groups }) });
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

  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeWebContext();
    },
  };
}
