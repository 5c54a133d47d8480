import { unknownOpenAiPath } from "@/lib/protocols/unknown-path";

// ANY unknown path below /v1: a JSON 404 in the protocol's own error shape (lib/protocols/unknown-path.ts).
export { unknownOpenAiPath as GET, unknownOpenAiPath as POST, unknownOpenAiPath as PUT, unknownOpenAiPath as PATCH, unknownOpenAiPath as DELETE };
