import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { withNoStore } from "@/lib/api/no-store";
import { AppError } from "@/lib/errors";
import { protocolContext } from "../context";
import { requireTokenPrincipal } from "../auth";
import { createMcpServer } from "./server";

/**
 * /mcp: Streamable HTTP in stateless mode (no session to keep between
 * requests, so any web process can answer any call), JSON responses. The
 * token is checked before MCP sees the request: a missing or wrong one is
 * a plain 401 with `WWW-Authenticate: Bearer`, as MCP clients expect.
 */
export async function handleMcp(req: Request): Promise<Response> {
  let principal;
  try {
    principal = await requireTokenPrincipal(req.headers);
  } catch (error) {
    if (error instanceof AppError) {
      return withNoStore(Response.json({ error: error.code === "UNAUTHORIZED" ? "invalid_token" : error.code.toLowerCase(), error_description: error.message }, { status: error.status, headers: { "WWW-Authenticate": 'Bearer realm="mirage"' } }));
    }
    throw error;
  }
  const server = createMcpServer(protocolContext("mcp"), principal);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return withNoStore(await transport.handleRequest(req));
  } finally {
    // One server per request: close it once the response is built (JSON mode answers after the tools ran).
    void server.close().catch(() => undefined);
  }
}
