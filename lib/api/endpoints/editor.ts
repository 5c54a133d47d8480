import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZEditRequest } from "@/lib/schemas/editor";
import { ZJobView } from "@/lib/schemas/jobs";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { MAX_JSON_BODY_BYTES } from "../body";
import { defineEndpoint } from "../contract";

const description = [
  "The Editor. `region` (Vary Region) repaints the white part of `mask`, a PNG (base64, or a data URL) or an upload given as `maskUploadId`; a mask of another size is resized to the image; transparent pixels count as black (keep).",
  "`zoom` (Zoom Out, `factor` 1–2) keeps the output size and shrinks the original into the centre; `pan` grows the canvas by half the side towards `direction` with the original pixels in place; `square` grows the short side to a square.",
  "`prompt` (Remix) replaces the prompt's words and --no; the image's recipe, model, personalization and speed are kept. Four results, charged by measured GPU time like Vary.",
  `A mask must be a PNG within the upload limits (${UPLOAD_LIMITS.maxInputPixels / 1e6} megapixels); the JSON body holds at most ${MAX_JSON_BODY_BYTES / 1024} KiB, so send a larger mask as an upload. An empty mask, or a Region mask covering the whole image, is refused.`,
].join("\n\n");

const responses = {
  202: { schema: ZJobView, description: "The new job" },
  400: { schema: ZErrorResponse, description: "A mask that is not a PNG, empty, covering the whole image (Region) or over the upload limits; a move that cannot be made (an already square image, a canvas grown too large)" },
} as const;

export const editImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/{id}/edit",
  access: "user",
  summary: "Edit one of your images: Vary Region, Zoom Out, Pan, Make Square",
  description,
  params: ZIdParam,
  body: ZEditRequest,
  responses: { ...responses, 404: { schema: ZErrorResponse, description: "No such image (or mask upload)" } },
});

export const editUpload = defineEndpoint({
  method: "POST",
  path: "/api/v1/uploads/{id}/edit",
  access: "user",
  summary: "Edit one of your uploads: Vary Region, Zoom Out, Pan, Make Square",
  description: `${description}\n\nAn upload is edited with the default model at its trained area, keeping the upload's aspect ratio.`,
  params: ZIdParam,
  body: ZEditRequest,
  responses: { ...responses, 404: { schema: ZErrorResponse, description: "No such upload (or mask upload)" } },
});
