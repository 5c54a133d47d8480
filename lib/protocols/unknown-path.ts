import "server-only";
import { withNoStore } from "@/lib/api/no-store";
import { a1111Error } from "./a1111/route";
import { openAiErrorResponse } from "./openai/errors";

/**
 * Unknown paths under a protocol's prefix answer in that protocol's own
 * JSON error shape (not the studio's HTML 404 page), so a client pointed at
 * a wrong path is told so in terms it can show. The paths are documented,
 * so naming them reveals nothing.
 */
export const unknownOpenAiPath = () =>
  openAiErrorResponse({
    status: 404,
    type: "invalid_request_error",
    code: "unknown_url",
    message: "No such path in the OpenAI-compatible API. It serves GET /v1/models and POST /v1/images/generations, /v1/images/edits and /v1/images/variations.",
  });

export const unknownA1111Path = () =>
  a1111Error(404, "Not Found", "No such path in the AUTOMATIC1111-compatible API. It serves /sdapi/v1/sd-models, samplers, schedulers, options, txt2img, img2img, progress and interrupt.");

export const unknownMcpPath = () =>
  withNoStore(Response.json({ error: { message: "The MCP server listens at /mcp itself (Streamable HTTP); there is nothing below it." } }, { status: 404 }));
