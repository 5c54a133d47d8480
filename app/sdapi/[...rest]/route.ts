import { unknownA1111Path } from "@/lib/protocols/unknown-path";

// ANY unknown path below /sdapi: a JSON 404 in the protocol's own error shape (lib/protocols/unknown-path.ts).
export { unknownA1111Path as GET, unknownA1111Path as POST, unknownA1111Path as PUT, unknownA1111Path as PATCH, unknownA1111Path as DELETE };
