import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeDirectory, type EndpointSpec } from "@/lib/api/contract";
import { endpoints, ENDPOINTS } from "@/lib/api/endpoints";
import { unknownRoute } from "@/lib/api/route-handler";
import { ROOT, walkImports } from "../support/import-graph";

const API_ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Every route.ts under app/api/v1, as its folder relative to it (`jobs/[id]/rerun`). */
function routeFolders(dir = API_ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routeFolders(full));
    else if (entry.name === "route.ts") found.push(path.relative(API_ROOT, dir).split(path.sep).join("/"));
  }
  return found.sort();
}

const CATCH_ALL = "[...rest]";

/** What every route file exports for each HTTP method, loaded the way Next.js loads it. */
async function boundMethods(): Promise<Array<{ folder: string; method: string; endpoint: EndpointSpec | undefined; handler: unknown }>> {
  const bound = [];
  for (const folder of routeFolders()) {
    const routeModule = (await import(path.join(API_ROOT, folder, "route.ts"))) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = routeModule[method];
      if (handler === undefined) continue;
      bound.push({ folder, method, handler, endpoint: (handler as { endpoint?: EndpointSpec }).endpoint });
    }
  }
  return bound;
}

describe("endpoint contracts and route files", () => {
  it("has one contract per method and path, each under a unique name", () => {
    const keys = ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ENDPOINTS).size).toBe(Object.keys(endpoints).length);
  });

  it("binds every method a route file exports to the contract of that method and path, and every contract to a route", async () => {
    const bound = await boundMethods();
    const unbound = bound
      .filter(({ folder }) => folder !== CATCH_ALL)
      .filter(({ folder, method, endpoint }) => !endpoint || endpoint.method !== method || routeDirectory(endpoint.path) !== folder)
      .map(({ folder, method, endpoint }) => `${method} ${folder} → ${endpoint ? `${endpoint.method} ${endpoint.path}` : "no contract"}`);
    expect(unbound, "route exports without a matching contract").toEqual([]);

    const served = new Set(bound.map(({ endpoint }) => endpoint).filter(Boolean));
    const unserved = ENDPOINTS.filter((endpoint) => !served.has(endpoint)).map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(unserved, "contracts without a route").toEqual([]);
  }, 60_000);

  it("answers unknown paths only from the catch-all", async () => {
    const bound = await boundMethods();
    expect(bound.filter(({ handler }) => handler === unknownRoute).every(({ folder }) => folder === CATCH_ALL)).toBe(true);
    expect(bound.filter(({ folder }) => folder === CATCH_ALL).every(({ handler }) => handler === unknownRoute)).toBe(true);
  }, 60_000);

  it("keeps the contracts and the browser client free of server code (they ship in the browser bundle)", () => {
    const entries = ["lib/api/endpoints/index.ts", "lib/api/client.ts"].map((file) => path.join(ROOT, file));
    // Engine modules that load nothing but zod, so the job params can validate scheduler options in
    // the browser too; the walk still follows their own imports, so one that grows a server import fails here.
    const browserSafeEngine = new Set(["@/lib/diffusion/schedulers/config"]);
    const serverOnly = walkImports(entries, { skipTypeOnly: true })
      .filter(({ specifier }) => !browserSafeEngine.has(specifier))
      .filter(({ specifier }) => /^(node:|onnxruntime|server-only$|@prisma|ioredis|bullmq|sharp$)|\/(server|db|storage|workers|diffusion)(\/|$)/.test(specifier))
      .map(({ specifier, chain }) => `${chain} imports ${specifier}`);
    expect(serverOnly).toEqual([]);
  });
});
