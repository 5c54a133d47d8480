import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_PATHS, buildOpenApiDocument } from "@/lib/api/openapi";

const API_ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route file under app/api/v1 with the HTTP methods it exports. */
function routeFiles(dir = API_ROOT): Array<{ path: string; methods: string[] }> {
  const found: Array<{ path: string; methods: string[] }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routeFiles(full));
    else if (entry.name === "route.ts") {
      const source = readFileSync(full, "utf8");
      const methods = METHODS.filter((method) => new RegExp(`export (const|async function|function) ${method}\\b`).test(source));
      const route = path.relative(API_ROOT, path.dirname(full)).split(path.sep).map((part) => part.replace(/^\[(\w+)\]$/, "{$1}"));
      found.push({ path: `/api/v1/${route.join("/")}`, methods });
    }
  }
  return found;
}

describe("OpenAPI document", () => {
  it("describes every method of every /api/v1 route file", () => {
    const documented = API_PATHS as Record<string, Record<string, unknown>>;
    const missing = routeFiles()
      .filter((route) => !route.path.includes("[..."))
      .flatMap((route) => route.methods.filter((method) => !documented[route.path]?.[method.toLowerCase()]).map((method) => `${method} ${route.path}`));
    expect(missing).toEqual([]);
  });

  it("builds a valid 3.1 document with named components", () => {
    const document = buildOpenApiDocument("http://localhost:3000");
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(expect.arrayContaining(["Me", "Error", "Health", "ApiToken"]));
    expect(document.paths?.["/api/v1/tokens"]?.post?.requestBody).toBeDefined();
  });
});
