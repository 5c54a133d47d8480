import { ZHealth } from "@/lib/schemas/health";
import { defineEndpoint } from "../contract";

export const health = defineEndpoint({
  method: "GET",
  path: "/api/v1/health",
  access: "public",
  summary: "Status of Postgres, Redis and workers",
  responses: {
    200: { schema: ZHealth, description: "Everything reachable (status may be `degraded` with no worker)" },
    503: { schema: ZHealth, description: "Postgres or Redis down" },
  },
});

export const openApiDocument = defineEndpoint({
  method: "GET",
  path: "/api/v1/openapi.json",
  access: "public",
  summary: "This document",
  responses: { 200: { description: "OpenAPI 3.1 document" } },
});
