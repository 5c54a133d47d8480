import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import { ZErrorResponse } from "@/lib/schemas/common";
import type { EndpointSpec, ResponseSpec } from "./contract";
import { ENDPOINTS } from "./endpoints";

/**
 * The OpenAPI document for /api/v1, generated from the endpoint contracts:
 * the same objects the route handlers validate with and the browser client
 * is typed by.
 */

/** A raw file body (uploads). */
const binary = z.string().meta({ format: "binary" });

/** Answers any non-public endpoint can give, whatever it does. */
const COMMON_ERRORS: Record<number, ResponseSpec> = {
  400: { schema: ZErrorResponse, description: "Invalid input; `error.fields` names the fields" },
  401: { schema: ZErrorResponse, description: "Not signed in and no valid API token" },
  403: { schema: ZErrorResponse, description: "Not allowed (role, or cross-site request)" },
  503: { schema: ZErrorResponse, description: "Database or queue unreachable; retry" },
};

function responseObject(spec: ResponseSpec): ZodOpenApiResponseObject {
  return spec.schema ? { description: spec.description, content: { "application/json": { schema: spec.schema } } } : { description: spec.description };
}

export function operationFor(endpoint: EndpointSpec): ZodOpenApiOperationObject {
  const isPublic = endpoint.access === "public";
  // An endpoint's own description of a status wins over the common one (e.g. 503 while the ranking pool renders).
  const responses = { ...(isPublic ? {} : COMMON_ERRORS), ...endpoint.responses };
  const requestParams = {
    ...(endpoint.params && { path: endpoint.params as z.ZodObject }),
    ...(endpoint.query && { query: endpoint.query as z.ZodObject }),
  };
  let requestBody: ZodOpenApiOperationObject["requestBody"];
  if (endpoint.body) requestBody = { content: { "application/json": { schema: endpoint.body } } };
  else if (endpoint.binaryBody) requestBody = { content: Object.fromEntries(endpoint.binaryBody.contentTypes.map((type) => [type, { schema: binary }])) };
  return {
    summary: endpoint.summary,
    ...(endpoint.description && { description: endpoint.description }),
    ...(isPublic && { security: [] }),
    ...(Object.keys(requestParams).length > 0 && { requestParams }),
    ...(requestBody && { requestBody }),
    responses: Object.fromEntries(Object.entries(responses).map(([status, spec]) => [status, responseObject(spec)])),
  };
}

export function apiPaths(endpoints: readonly EndpointSpec[] = ENDPOINTS): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const endpoint of endpoints) {
    const item = (paths[endpoint.path] ??= {});
    item[endpoint.method.toLowerCase() as "get" | "post" | "patch" | "delete"] = operationFor(endpoint);
  }
  return paths;
}

export function buildOpenApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Mirage API",
      version: "1",
      description:
        "Self-hosted image studio. Authenticate with the browser session or `Authorization: Bearer <token>` (Settings → API tokens). Errors are `{ error: { code, message } }`.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Personal API token (`mrg_…`)" },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
      },
    },
    paths: apiPaths(),
  });
}
