import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The outside protocols' operations (OpenAI at /v1, AUTOMATIC1111 at
 * /sdapi/v1, MCP at /mcp), read from the route files themselves, so a new
 * protocol route joins the authorization matrix and the hostile-input fuzz
 * without anyone remembering to list it. They are not in the OpenAPI
 * document, which describes /api/v1 only.
 */
export interface ProtocolOperation {
  method: string;
  /** With `{id}` for a dynamic segment, as in the OpenAPI paths. */
  path: string;
  protocol: "openai" | "a1111" | "mcp";
  /** The signed image links: they answer to a signature in the query, never to a token. */
  signedLink: boolean;
}

const ROOTS = [
  { dir: "app/v1", prefix: "/v1", protocol: "openai" },
  { dir: "app/sdapi", prefix: "/sdapi", protocol: "a1111" },
  { dir: "app/mcp", prefix: "/mcp", protocol: "mcp" },
] as const;

const EXPORTED_METHOD = /^export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/gm;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

export function protocolOperations(repoRoot = process.cwd()): ProtocolOperation[] {
  return ROOTS.flatMap(({ dir, prefix, protocol }) =>
    routeFiles(path.join(repoRoot, dir)).flatMap((file) => {
      const relative = path.relative(path.join(repoRoot, dir), path.dirname(file));
      const urlPath = `${prefix}${relative ? `/${relative.split(path.sep).join("/")}` : ""}`.replace(/\[[^\]]+\]/g, "{id}");
      const methods = [...readFileSync(file, "utf8").matchAll(EXPORTED_METHOD)].map((match) => match[1]!);
      return methods.map((method) => ({ method, path: urlPath, protocol, signedLink: urlPath.startsWith("/v1/files/") }));
    }),
  );
}

/** The message a protocol's error body carries (each speaks its own shape), or undefined. */
export function protocolErrorMessage(protocol: ProtocolOperation["protocol"], payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const body = payload as { error?: unknown; detail?: unknown };
  // A1111 (FastAPI): { error, detail }; OpenAI and MCP's JSON-RPC: { error: { message } }.
  if (protocol === "a1111" && typeof body.detail === "string") return body.detail;
  const error = body.error as { message?: unknown } | undefined;
  return typeof error?.message === "string" ? error.message : undefined;
}
