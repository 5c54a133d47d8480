import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZImageFileQuery } from "@/lib/schemas/jobs";
import { ZUpload, ZUploadList } from "@/lib/schemas/uploads";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { defineEndpoint } from "../contract";

export const createUpload = defineEndpoint({
  method: "POST",
  path: "/api/v1/uploads",
  access: "user",
  summary: "Upload an image to use as an image prompt",
  description: `The body is the file's bytes with its Content-Type (PNG, JPEG or WebP, at most ${UPLOAD_LIMITS.maxBytes / (1024 * 1024)} MiB and ${UPLOAD_LIMITS.maxInputPixels / 1e6} megapixels). The type is read from the bytes; the image is re-encoded (metadata removed, EXIF orientation applied, longest side at most ${UPLOAD_LIMITS.storedSide} px). At most ${UPLOAD_LIMITS.maxPerUser} uploads per user.`,
  binaryBody: { contentTypes: ["image/png", "image/jpeg", "image/webp"] },
  responses: {
    201: { schema: ZUpload, description: "Stored; pass `imagePrompt: { uploadId }` to POST /api/v1/jobs" },
    409: { schema: ZErrorResponse, description: "The per-user upload limit is reached; delete some" },
    429: {
      schema: ZErrorResponse,
      description: `More than ${UPLOAD_LIMITS.perMinute} uploads a minute, or ${UPLOAD_LIMITS.inFlightPerUser} of yours still in progress; see Retry-After`,
    },
    413: { schema: ZErrorResponse, description: "Too many bytes or too many pixels" },
    415: { schema: ZErrorResponse, description: "Not a PNG, JPEG or WebP image" },
  },
});

export const listUploads = defineEndpoint({
  method: "GET",
  path: "/api/v1/uploads",
  access: "user",
  summary: "Your uploads, newest first",
  responses: { 200: { schema: ZUploadList, description: `All of them (at most ${UPLOAD_LIMITS.maxPerUser})` } },
});

export const deleteUpload = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/uploads/{id}",
  access: "user",
  summary: "Delete an upload (finished jobs keep their images; queued jobs that use it fail)",
  params: ZIdParam,
  responses: { 204: { description: "Deleted" }, 404: { schema: ZErrorResponse, description: "No such upload" } },
});

export const uploadFile = defineEndpoint({
  method: "GET",
  path: "/api/v1/uploads/{id}/file",
  access: "user",
  summary: "The re-encoded upload (owner only)",
  params: ZIdParam,
  query: ZImageFileQuery,
  responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: { schema: ZErrorResponse, description: "No such upload" } },
});
