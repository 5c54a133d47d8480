import { handleMcp } from "@/lib/protocols/mcp/route";

// The MCP server (lib/protocols/mcp): Streamable HTTP, stateless; GET and DELETE answer as the transport says.
export const POST = handleMcp;
export const GET = handleMcp;
export const DELETE = handleMcp;
