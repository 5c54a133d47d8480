import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { pathParamNames, type EndpointSpec } from "@/lib/api/contract";
import { endpoints, ENDPOINTS } from "@/lib/api/endpoints";
import { buildOpenApiDocument } from "@/lib/api/openapi";

const document = buildOpenApiDocument("http://localhost:3000");

interface Parameter {
  in: string;
  name: string;
  required?: boolean;
}
interface Operation {
  summary?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown }> }>;
}

function operation(endpoint: EndpointSpec): Operation {
  const item = (document.paths as Record<string, Record<string, Operation>> | undefined)?.[endpoint.path];
  const found = item?.[endpoint.method.toLowerCase()];
  if (!found) throw new Error(`${endpoint.method} ${endpoint.path} is missing from the document`);
  return found;
}

function objectKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape).sort() : [];
}

/** JSON pointer to a part of the document, for Ajv. */
function pointer(...parts: string[]): string {
  return `openapi#/${parts.map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

// OpenAPI 3.1 schemas are JSON Schema 2020-12; `example` is an OpenAPI annotation. Formats (date-time) are left to zod.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...(document as object), $id: "openapi" });

function documentSchema(endpoint: EndpointSpec, where: "body" | number) {
  const parts =
    where === "body"
      ? ["paths", endpoint.path, endpoint.method.toLowerCase(), "requestBody", "content", "application/json", "schema"]
      : ["paths", endpoint.path, endpoint.method.toLowerCase(), "responses", String(where), "content", "application/json", "schema"];
  return ajv.compile({ $ref: pointer(...parts) });
}

describe("OpenAPI document from the endpoint contracts", () => {
  it("is a valid 3.1 document with named components", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(expect.arrayContaining(["Me", "Error", "Health", "ApiToken", "Job", "GalleryPage"]));
  });

  it("has one operation per contract, and no other", () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object)
        .filter((key) => ["get", "post", "put", "patch", "delete"].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort());
  });

  it.each(ENDPOINTS.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint] as const))("%s: params, query, body and responses match the contract", (_, endpoint) => {
    const op = operation(endpoint);
    expect(op.summary).toBe(endpoint.summary);

    // Path params: the `{names}` in the path are exactly the keys of the params schema, each documented as required.
    const names = pathParamNames(endpoint.path).sort();
    expect(objectKeys(endpoint.params)).toEqual(names);
    const pathParams = (op.parameters ?? []).filter((parameter) => parameter.in === "path");
    expect(pathParams.map((parameter) => parameter.name).sort()).toEqual(names);
    expect(pathParams.every((parameter) => parameter.required)).toBe(true);
    expect((op.parameters ?? []).filter((parameter) => parameter.in === "query").map((parameter) => parameter.name).sort()).toEqual(objectKeys(endpoint.query));

    if (endpoint.body) expect(Object.keys(op.requestBody?.content ?? {})).toEqual(["application/json"]);
    else if (endpoint.binaryBody) expect(Object.keys(op.requestBody?.content ?? {})).toEqual([...endpoint.binaryBody.contentTypes]);
    else expect(op.requestBody).toBeUndefined();

    for (const [status, spec] of Object.entries(endpoint.responses)) {
      const response = op.responses[status];
      expect(response?.description, `${status} description`).toBe(spec.description);
      expect(Boolean(response?.content?.["application/json"]?.schema), `${status} has a JSON schema`).toBe(Boolean(spec.schema));
    }
    if (endpoint.access === "public") expect(op.security).toEqual([]);
    else expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["400", "401", "403", "503"]));
  });

  // The document's JSON Schemas must accept and refuse what the handlers' zod schemas accept and refuse.
  const bodies: Array<[EndpointSpec, unknown, boolean]> = [
    [endpoints.submitJob, { prompt: "a lighthouse at dusk --ar 16:9" }, true],
    [endpoints.submitJob, { prompt: "x", imagePrompt: { uploadId: "u1" }, mode: "relax" }, true],
    [endpoints.submitJob, { prompt: "" }, false],
    [endpoints.submitJob, { prompt: "x", mode: "warp" }, false],
    [endpoints.submitJob, { prompt: "x", extra: 1 }, false],
    [endpoints.createToken, { name: "ci" }, true],
    [endpoints.createToken, {}, false],
    [endpoints.varyImage, { strength: "strong" }, true],
    [endpoints.varyImage, { strength: "medium" }, false],
    [endpoints.deleteImages, { imageIds: ["a", "b"] }, true],
    [endpoints.deleteImages, { imageIds: [] }, false],
    [endpoints.answerPair, { choice: "left" }, true],
    [endpoints.answerPair, { choice: "up" }, false],
    [endpoints.updateMySettings, { autoRelax: true }, true],
    [endpoints.updateMySettings, { autoRelax: "yes" }, false],
  ];
  it.each(bodies.map(([endpoint, body, valid]) => [`${endpoint.method} ${endpoint.path} ${JSON.stringify(body)}`, endpoint, body, valid] as const))(
    "request body %s: zod and the document agree",
    (_, endpoint, body, valid) => {
      expect(endpoint.body?.safeParse(body).success).toBe(valid);
      expect(documentSchema(endpoint, "body")(body)).toBe(valid);
    },
  );

  const job = {
    id: "j1",
    type: "imagine",
    mode: "fast",
    status: "completed",
    source: "web",
    progress: 1,
    prompt: "a cat",
    recipe: {},
    size: { width: 512, height: 512 },
    isDraft: false,
    parentImageId: null,
    imagePrompt: null,
    error: null,
    gpuMs: 1200,
    receipt: { estimateMs: 1000, multiplier: 1, chargedMs: 1200 },
    createdAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:02.000Z",
    images: [],
  };
  const replies: Array<[EndpointSpec, number, unknown, boolean]> = [
    [endpoints.getJob, 200, job, true],
    [endpoints.getJob, 200, { ...job, status: "sleeping" }, false],
    [endpoints.getJob, 404, { error: { code: "NOT_FOUND", message: "No such job." } }, true],
    [endpoints.submitJob, 202, { ...job, jobIds: ["j1"] }, true],
    [endpoints.submitJob, 202, job, false],
    [endpoints.likeImage, 200, { liked: true }, true],
    [endpoints.listJobs, 200, { jobs: [job], nextCursor: null }, true],
    [endpoints.listJobs, 200, { jobs: [job] }, false],
  ];
  it.each(replies.map(([endpoint, status, body, valid]) => [`${endpoint.method} ${endpoint.path} ${status} #${JSON.stringify(body).length}`, endpoint, status, body, valid] as const))(
    "response %s: zod and the document agree",
    (_, endpoint, status, body, valid) => {
      expect(endpoint.responses[status]?.schema?.safeParse(body).success).toBe(valid);
      expect(documentSchema(endpoint, status)(body)).toBe(valid);
    },
  );
});
