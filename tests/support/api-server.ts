import { request as httpRequest } from "node:http";
import { stampClientAddress } from "@/lib/auth/client-address";
import { configureWebContext, listenForTests, sendWebResponse, toWebRequest, type TestServer, type TestServerServices } from "./node-bridge";

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

export type ApiServer = TestServer;

export async function startApiServer(options: TestServerServices & { routes: ApiRoute[]; env?: Record<string, string> }): Promise<ApiServer> {
  configureWebContext(options, options.env);
  const modules = await Promise.all(options.routes.map(async (route) => ({ pattern: route.pattern, module: await route.load() })));
  return listenForTests("api server", async (incoming, outgoing, signal) => {
    stampClientAddress(incoming);
    const url = new URL(incoming.url ?? "/", "http://localhost:3000");
    const route = modules.find((candidate) => candidate.pattern.test(url.pathname));
    const handler = route?.module[incoming.method as "GET" | "POST" | "PATCH" | "DELETE"];
    if (!route || !handler) {
      outgoing.writeHead(404).end();
      return;
    }
    const groups = route.pattern.exec(url.pathname)?.groups ?? {};
    const params = Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, name === "all" ? value.split("/") : value]));
    await sendWebResponse(outgoing, await handler(toWebRequest(incoming, url, signal), { params: Promise.resolve(params) }), signal);
  });
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
