import { ZErrorResponse } from "@/lib/schemas/common";
import { ZDescribeRequest, ZDescribeResponse } from "@/lib/schemas/describe";
import { defineEndpoint } from "../contract";

export const describeImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/describe",
  access: "user",
  summary: "Describe an image: four prompts",
  description:
    "Four prompts, best first, that would make something like one of your uploads or an image you may view (your own, or a teammate's in a team folder), written in the model's prompt language. Models that ship a describer (mirage-tiny) answer from their own classifier on a worker; other models use the configured OpenAI-compatible vision model, and without one Describe is unavailable for them (`canDescribe` in GET /api/v1/models). Not charged; limited per user per minute.",
  body: ZDescribeRequest,
  responses: {
    200: { schema: ZDescribeResponse, description: "Four prompts" },
    400: { schema: ZErrorResponse, description: "Not exactly one of uploadId or imageId, an unknown model, or a model Describe is not available for" },
    404: { schema: ZErrorResponse, description: "No such upload of yours, or no image you may view" },
    429: { schema: ZErrorResponse, description: "Too many describe requests this minute" },
    503: { schema: ZErrorResponse, description: "No worker for the model answered in time, or the vision model failed" },
  },
});
