import { buildOpenApiDocument } from "@/lib/api/openapi";
import { getWebContext } from "@/lib/server/context";

// GET /api/v1/openapi.json – the API description (public)
export function GET() {
  return Response.json(buildOpenApiDocument(getWebContext().config.PUBLIC_URL));
}
