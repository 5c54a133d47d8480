import { readdir } from "node:fs/promises";
import path from "node:path";
import { configureWebContext, listenForTests, sendWebResponse, toWebRequest, type TestServer, type TestServerServices } from "./node-bridge";

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

export type ProtocolServer = TestServer;

export async function startProtocolServer(options: TestServerServices): Promise<ProtocolServer> {
  let routes: Awaited<ReturnType<typeof loadRoutes>> = [];
  const server = await listenForTests("protocol server", async (incoming, outgoing, signal) => {
    const requestUrl = new URL(incoming.url ?? "/", server.url);
    const method = incoming.method ?? "GET";
    const route = routes.find((candidate) => candidate.pattern.test(requestUrl.pathname));
    const handler = route?.module[method];
    if (!handler) {
      outgoing.writeHead(route ? 405 : 404, { "content-type": "application/json" });
      outgoing.end(JSON.stringify({ error: { message: `${method} ${requestUrl.pathname} is not served here.` } }));
      return;
    }
    const params = { ...route.pattern.exec(requestUrl.pathname)?.groups };
    await sendWebResponse(outgoing, await handler(toWebRequest(incoming, requestUrl, signal), { params: Promise.resolve(params) }), signal);
  });
  // PUBLIC_URL is this server, so signed links point back at it.
  configureWebContext(options, { PUBLIC_URL: server.url });
  routes = await loadRoutes();
  return server;
}
