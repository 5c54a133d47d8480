import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./worker-process";

/**
 * What the test servers (route-server, api-server, protocol-server) share: the
 * web context's environment, and the bridge between Node's http objects and
 * the Fetch `Request`/`Response` that route modules take and give, streaming
 * both ways as Next.js does.
 */

export interface TestServerServices {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  storageDir: string;
}

/** The web context is a process-wide singleton configured from the environment, as in the Next server. */
export function configureWebContext(services: TestServerServices, extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: services.prefix,
    STORAGE_DIR: services.storageDir,
    MODELS_DIR: FIXTURE_MODELS_DIR,
    DEFAULT_MODEL: FIXTURE_MODEL,
    AUTH_SECRET: randomBytes(24).toString("hex"),
    PUBLIC_URL: "http://localhost:3000",
    LOG_LEVEL: process.env.ROUTE_LOG_LEVEL ?? "silent",
    ...extra,
  });
}

/** The Fetch request for an incoming one; its body streams, and `signal` aborts when the client goes away. */
export function toWebRequest(incoming: IncomingMessage, url: URL, signal: AbortSignal): Request {
  const method = incoming.method ?? "GET";
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const hasBody = method !== "GET" && method !== "HEAD" && incoming.headers["content-length"] !== "0";
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody && { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }),
  } as RequestInit);
}

/** Writes a Fetch response out, streaming its body (SSE included) until it ends or the client leaves. */
export async function sendWebResponse(outgoing: ServerResponse, response: Response, signal: AbortSignal): Promise<void> {
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    outgoing.end();
    return;
  }
  outgoing.flushHeaders();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (signal.aborted) break;
      outgoing.write(chunk);
    }
  } finally {
    outgoing.end();
  }
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port. `serve` gets an abort signal for the
 * request; a failure in it answers 599 (a status no route uses) with the error,
 * so a test sees the server's own bug rather than a hang.
 */
export async function listenForTests(name: string, serve: (incoming: IncomingMessage, outgoing: ServerResponse, signal: AbortSignal) => Promise<void>): Promise<TestServer> {
  const server = createServer((incoming, outgoing) => {
    const abort = new AbortController();
    outgoing.on("close", () => abort.abort());
    void serve(incoming, outgoing, abort.signal).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(599, { "content-type": "text/plain" });
      outgoing.end(`${name}: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
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
