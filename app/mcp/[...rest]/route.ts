import { unknownMcpPath } from "@/lib/protocols/unknown-path";

// ANY unknown path below /mcp: a JSON 404 in the protocol's own error shape (lib/protocols/unknown-path.ts).
export { unknownMcpPath as GET, unknownMcpPath as POST, unknownMcpPath as PUT, unknownMcpPath as PATCH, unknownMcpPath as DELETE };
