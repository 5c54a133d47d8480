import path from "node:path";
import { pathParamNames, routeDirectory } from "@/lib/api/contract";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { configureWebContext, listenForTests, sendWebResponse, toWebRequest, type TestServer, type TestServerServices } from "./node-bridge";

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

export type RouteServer = TestServer;

/**
 * Configures the web context for this process (it is a process-wide
 * singleton, like in the Next server) and serves every contract's route;
 * other paths go to the `[...rest]` catch-all, as in Next.js.
 */
export async function startRouteServer(options: TestServerServices): Promise<RouteServer> {
  configureWebContext(options);
  const routes = await loadRoutes();
  const catchAll = (await import(path.join(API_ROOT, "[...rest]", "route.ts"))) as RouteModule;

  return listenForTests("route server", async (incoming, outgoing, signal) => {
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
    await sendWebResponse(outgoing, await handler(toWebRequest(incoming, url, signal), { params: Promise.resolve(params) }), signal);
  });
}

export { closeWebContext } from "./node-bridge";
