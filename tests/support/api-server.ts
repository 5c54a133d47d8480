import { randomBytes } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { stampClientAddress } from "@/lib/auth/client-address";
import { closeWebContext } from "./route-server";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "./worker-process";

/**
 * A few of the studio's real route modules (`/api/auth/*` included, which
 * tests/support/route-server.ts does not serve) behind a plain Node HTTP
 * server that streams request bodies the way Next.js does and stamps the
 * socket address like lib/launcher/web-server.ts.
 */
type Handler = (req: Request, segment: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
export interface ApiRoute {
  pattern: RegExp;
  load: () => Promise<Partial<Record<"GET" | "POST" | "PATCH" | "DELETE", Handler>>>;
}

export interface ApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(options: { databaseUrl: string; redisUrl: string; prefix: string; storageDir: string; routes: ApiRoute[]; env?: Record<string, string> }): Promise<ApiServer> {
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
    ...options.env,
  });
  const modules = await Promise.all(options.routes.map(async (route) => ({ pattern: route.pattern, module: await route.load() })));

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse) {
    stampClientAddress(incoming);
    const url = new URL(incoming.url ?? "/", "http://localhost:3000");
    const route = modules.find((candidate) => candidate.pattern.test(url.pathname));
    const method = incoming.method as "GET" | "POST" | "PATCH" | "DELETE";
    const handler = route?.module[method];
    if (!route || !handler) {
      outgoing.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const hasBody = method !== "GET" && incoming.headers["content-length"] !== "0";
    const request = new Request(url, {
      method,
      headers,
      ...(hasBody && { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }),
    } as RequestInit);
    const groups = route.pattern.exec(url.pathname)?.groups ?? {};
    const params = Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, name === "all" ? value.split("/") : value]));
    const response = await handler(request, { params: Promise.resolve(params) });
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  }

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(599, { "content-type": "text/plain" });
      outgoing.end(`api server: ${String(error)}`);
    });
  });
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

/**
 * POSTs a chunked body of `totalBytes` (no Content-Length), written 1 MiB at a
 * time from one reused buffer so the client holds nothing, and stops writing
 * as soon as the server answers or drops the connection.
 */
export function postChunked(url: string, totalBytes: number, headers: Record<string, string>): Promise<{ status: number; body: string; sentBytes: number }> {
  const chunk = Buffer.alloc(1024 * 1024, "a");
  chunk.write('{"email":"x@example.test","password":"');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), sentBytes: sent });
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < totalBytes && !req.destroyed) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered && !req.destroyed && sent >= totalBytes) req.end();
    };
    pump();
  });
}
