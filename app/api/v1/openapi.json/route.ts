import { endpoints } from "@/lib/api/endpoints";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { route } from "@/lib/api/route-handler";
import { getWebContext } from "@/lib/server/context";

export const GET = route(endpoints.openApiDocument, async () => Response.json(buildOpenApiDocument(getWebContext().config.PUBLIC_URL)));
