import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { ZCreatedToken, ZCreateTokenRequest, ZIdParam, ZMe, ZTokenList } from "@/lib/schemas/account";
import { ZAdminUser, ZAdminUserList, ZStudioSettings, ZUpdateSettingsRequest, ZUpdateUserRequest } from "@/lib/schemas/admin";
import { ZErrorResponse } from "@/lib/schemas/common";
import { ZHealth } from "@/lib/schemas/health";
import { ZBulkResult, ZCreateFolderRequest, ZFolder, ZFolderList, ZGalleryPage, ZGalleryQuery, ZImageDetail, ZImageIdsRequest, ZUpdateFolderRequest } from "@/lib/schemas/gallery";
import { ZDraftMessageRequest, ZDraftSession, ZDraftSessionList, ZStartDraftRequest } from "@/lib/schemas/draft";
import { ZAdminUsage, ZAdminUsageQuery, ZEstimate, ZEstimateRequest, ZGrantRequest, ZPlan, ZPlanList, ZUpdatePlanRequest, ZUsage, ZUsageSettingsRequest } from "@/lib/schemas/usage";
import {
  ZPairAnswerRequest,
  ZPairAnswerResult,
  ZPairIdParam,
  ZPersonalizationProfile,
  ZPoolImageQuery,
  ZPoolRequest,
  ZPoolStatus,
  ZProfileToggleRequest,
  ZRankingPair,
} from "@/lib/schemas/personalization";
import { ZModelList, ZRerunRequest, ZCreatedJobs, ZCreateJobRequest, ZImageFileQuery, ZJobList, ZJobListQuery, ZJobView, ZUpscaleRequest, ZVaryRequest } from "@/lib/schemas/jobs";
import { ZUpload, ZUploadList } from "@/lib/schemas/uploads";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

/**
 * The OpenAPI document for /api/v1, built from the same zod schemas the
 * handlers validate with. A unit test fails when a route file under
 * app/api/v1 has a method that is not described here.
 */

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A raw file body (uploads). */
const binary = z.string().meta({ format: "binary" });

const errors = {
  400: json(ZErrorResponse, "Invalid input; `error.fields` names the fields"),
  401: json(ZErrorResponse, "Not signed in and no valid API token"),
  403: json(ZErrorResponse, "Not allowed (role, or cross-site request)"),
  503: json(ZErrorResponse, "Database or queue unreachable; retry"),
};

function op(summary: string, operation: Omit<ZodOpenApiOperationObject, "summary">, options: { public?: boolean } = {}): ZodOpenApiOperationObject {
  return {
    summary,
    ...(options.public ? { security: [] } : {}),
    ...operation,
    responses: { ...operation.responses, ...(options.public ? {} : errors) },
  };
}

export const API_PATHS = {
  "/api/v1/me": {
    get: op("The signed-in user", { responses: { 200: json(ZMe, "Who is asking") } }),
  },
  "/api/v1/health": {
    get: op(
      "Status of Postgres, Redis and workers",
      { responses: { 200: json(ZHealth, "Everything reachable (status may be `degraded` with no worker)"), 503: json(ZHealth, "Postgres or Redis down") } },
      { public: true },
    ),
  },
  "/api/v1/openapi.json": {
    get: op("This document", { responses: { 200: { description: "OpenAPI 3.1 document" } } }, { public: true }),
  },
  "/api/v1/tokens": {
    get: op("List your API tokens", { responses: { 200: json(ZTokenList, "Active tokens (secrets are never shown again)") } }),
    post: op("Create an API token", {
      requestBody: { content: { "application/json": { schema: ZCreateTokenRequest } } },
      responses: { 201: json(ZCreatedToken, "The token; copy the secret now") },
    }),
  },
  "/api/v1/tokens/{id}": {
    delete: op("Revoke one of your API tokens", {
      requestParams: { path: ZIdParam },
      responses: { 204: { description: "Revoked" }, 404: json(ZErrorResponse, "No such token") },
    }),
  },
  "/api/v1/admin/users": {
    get: op("All users (admin)", { responses: { 200: json(ZAdminUserList, "Users") } }),
  },
  "/api/v1/admin/users/{id}": {
    patch: op("Change a user's role or plan (admin)", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZUpdateUserRequest } } },
      responses: { 200: json(ZAdminUser, "The updated user"), 404: json(ZErrorResponse, "No such user") },
    }),
  },
  "/api/v1/admin/settings": {
    get: op("Studio settings (admin)", { responses: { 200: json(ZStudioSettings, "Settings") } }),
    patch: op("Change studio settings (admin)", {
      requestBody: { content: { "application/json": { schema: ZUpdateSettingsRequest } } },
      responses: { 200: json(ZStudioSettings, "Settings after the change") },
    }),
  },
  "/api/v1/jobs": {
    post: op("Submit a prompt", {
      description:
        "The prompt may carry Midjourney-style parameters (--ar, --s, --chaos, --seed, --no, --r, --draft, --p, --iw, --raw, --turbo/--fast/--relax, --v 7). An invalid one gives 400 naming the parameter and its allowed range. `imagePrompt` starts the grid from an upload or one of your images; --iw (0–3) sets how much it counts.",
      requestBody: { content: { "application/json": { schema: ZCreateJobRequest } } },
      responses: {
        202: json(ZCreatedJobs, "Queued (with --r N, `jobIds` lists all N jobs)"),
        404: json(ZErrorResponse, "`imagePrompt` names no upload or image of yours"),
        402: json(ZErrorResponse, "Not enough fast time left for it (use --relax, or ask an admin)"),
        429: json(ZErrorResponse, "The plan's cap on jobs in progress is reached, or more than 60 submissions a minute; see Retry-After"),
      },
    }),
    get: op("Your jobs, newest first", { requestParams: { query: ZJobListQuery }, responses: { 200: json(ZJobList, "A page of jobs") } }),
  },
  "/api/v1/models": {
    get: op("Installed models", { responses: { 200: json(ZModelList, "Models, with the workers online for each") } }),
  },
  "/api/v1/jobs/estimate": {
    post: op("Estimate what a prompt would cost", {
      requestBody: { content: { "application/json": { schema: ZEstimateRequest } } },
      responses: { 200: json(ZEstimate, "GPU time, multiplier and the fast time it would reserve"), 404: json(ZErrorResponse, "`imagePrompt` names no upload or image of yours") },
    }),
  },
  "/api/v1/draft/sessions": {
    get: op("Your draft sessions", { responses: { 200: json(ZDraftSessionList, "Sessions, most recent first") } }),
    post: op("Start a draft session", {
      requestBody: { content: { "application/json": { schema: ZStartDraftRequest } } },
      responses: { 201: json(ZDraftSession, "The session with its first turn (four drafts queued)") },
    }),
  },
  "/api/v1/draft/sessions/{id}": {
    get: op("One draft session", { requestParams: { path: ZIdParam }, responses: { 200: json(ZDraftSession, "The session"), 404: json(ZErrorResponse, "No such session") } }),
  },
  "/api/v1/draft/sessions/{id}/messages": {
    post: op("Send a follow-up", {
      description: "`{ message }` is plain language (\"make the house red\", \"no clouds\", \"make it wide\") rewritten into the next prompt; `{ prompt }` is a prompt edited by hand. Either drafts four new images. A follow-up that cannot be understood gives 400 with a hint and writes nothing.",
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZDraftMessageRequest } } },
      responses: { 201: json(ZDraftSession, "The session with the new turn"), 404: json(ZErrorResponse, "No such session") },
    }),
  },
  "/api/v1/me/usage": {
    get: op("Your plan, period and fast/relax usage", { responses: { 200: json(ZUsage, "Usage this period") } }),
  },
  "/api/v1/admin/users/{id}/grant": {
    post: op("Grant extra fast hours this period (admin)", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZGrantRequest } } },
      responses: { 200: json(ZUsage, "The user's usage after the grant"), 404: json(ZErrorResponse, "No such user") },
    }),
  },
  "/api/v1/me/settings": {
    patch: op("Your usage settings", {
      requestBody: { content: { "application/json": { schema: ZUsageSettingsRequest } } },
      responses: { 200: json(ZUsage, "Usage with the new settings") },
    }),
  },
  "/api/v1/admin/plans": {
    get: op("Plans (admin)", { responses: { 200: json(ZPlanList, "Plans") } }),
  },
  "/api/v1/admin/plans/{id}": {
    patch: op("Change a plan (admin); fast hours apply from each user's next period", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZUpdatePlanRequest } } },
      responses: { 200: json(ZPlan, "The plan"), 404: json(ZErrorResponse, "No such plan") },
    }),
  },
  "/api/v1/admin/usage": {
    get: op("GPU time and charges by user, day, mode or job type (admin; `format=csv` for CSV)", {
      requestParams: { query: ZAdminUsageQuery },
      responses: { 200: json(ZAdminUsage, "Usage rows") },
    }),
  },
  "/api/v1/jobs/{id}": {
    get: op("One of your jobs", { requestParams: { path: ZIdParam }, responses: { 200: json(ZJobView, "The job and its images"), 404: json(ZErrorResponse, "No such job") } }),
  },
  "/api/v1/jobs/{id}/events": {
    get: op("Live progress (Server-Sent Events)", {
      description: "`event: job` carries a Job snapshot (first, and whenever the job changes state); `event: progress` carries `{ fraction, stage }`. The stream ends when the job completes, fails or is cancelled.",
      requestParams: { path: ZIdParam },
      responses: { 200: { description: "text/event-stream" }, 404: json(ZErrorResponse, "No such job") },
    }),
  },
  "/api/v1/jobs/{id}/cancel": {
    post: op("Cancel a queued or running job", {
      requestParams: { path: ZIdParam },
      responses: { 200: json(ZJobView, "The cancelled job"), 404: json(ZErrorResponse, "No such job"), 409: json(ZErrorResponse, "Already finished") },
    }),
  },
  "/api/v1/jobs/{id}/rerun": {
    post: op("Rerun a job: same recipe, new seeds (or the same seeds with `exact`)", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZRerunRequest } } },
      responses: { 202: json(ZJobView, "The new job"), 404: json(ZErrorResponse, "No such job, or its image prompt was deleted") },
    }),
  },
  "/api/v1/images": {
    get: op("Your images, newest first: full-text search and filters", {
      requestParams: { query: ZGalleryQuery },
      responses: { 200: json(ZGalleryPage, "A page of images; pass `nextCursor` as `cursor` for the next"), 404: json(ZErrorResponse, "No such folder") },
    }),
    delete: op("Delete many images (restorable for 30 s with POST /api/v1/images/restore, then purged)", {
      requestBody: { content: { "application/json": { schema: ZImageIdsRequest } } },
      responses: { 200: json(ZBulkResult, "How many were deleted"), 404: json(ZErrorResponse, "An id is not one of your images (nothing deleted)") },
    }),
  },
  "/api/v1/images/restore": {
    post: op("Undo a delete within the undo window", {
      requestBody: { content: { "application/json": { schema: ZImageIdsRequest } } },
      responses: { 200: json(ZBulkResult, "How many were restored"), 404: json(ZErrorResponse, "No such image"), 409: json(ZErrorResponse, "The undo window has passed") },
    }),
  },
  "/api/v1/images/zip": {
    post: op("Download images as one zip (full-size PNGs, streamed)", {
      requestBody: { content: { "application/json": { schema: ZImageIdsRequest } } },
      responses: { 200: { description: "application/zip" }, 404: json(ZErrorResponse, "An id is not one of your images") },
    }),
  },
  "/api/v1/images/{id}": {
    get: op("One image with its exact recipe and lineage", { requestParams: { path: ZIdParam }, responses: { 200: json(ZImageDetail, "The image"), 404: json(ZErrorResponse, "No such image") } }),
    delete: op("Delete one image (restorable for 30 s, then purged)", { requestParams: { path: ZIdParam }, responses: { 200: json(ZBulkResult, "Deleted"), 404: json(ZErrorResponse, "No such image") } }),
  },
  "/api/v1/folders": {
    get: op("Your folders and smart folders", { responses: { 200: json(ZFolderList, "Folders by name") } }),
    post: op("Create a folder, or with `query` a smart folder (a saved search with the filters of GET /api/v1/images)", {
      requestBody: { content: { "application/json": { schema: ZCreateFolderRequest } } },
      responses: { 201: json(ZFolder, "The folder"), 409: json(ZErrorResponse, "A folder with that name exists") },
    }),
  },
  "/api/v1/folders/{id}": {
    patch: op("Rename a folder or change a smart folder's search", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZUpdateFolderRequest } } },
      responses: { 200: json(ZFolder, "The folder"), 404: json(ZErrorResponse, "No such folder"), 409: json(ZErrorResponse, "A folder with that name exists") },
    }),
    delete: op("Delete a folder (its images stay)", { requestParams: { path: ZIdParam }, responses: { 204: { description: "Deleted" }, 404: json(ZErrorResponse, "No such folder") } }),
  },
  "/api/v1/folders/{id}/images": {
    post: op("Add images to a folder", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZImageIdsRequest } } },
      responses: { 200: json(ZBulkResult, "How many were added"), 404: json(ZErrorResponse, "No such folder or image"), 409: json(ZErrorResponse, "A smart folder") },
    }),
    delete: op("Take images out of a folder", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZImageIdsRequest } } },
      responses: { 200: json(ZBulkResult, "How many were removed"), 404: json(ZErrorResponse, "No such folder") },
    }),
  },
  "/api/v1/images/{id}/like": {
    post: op("Like an image", { requestParams: { path: ZIdParam }, responses: { 200: { description: "`{ liked: true }`" }, 404: json(ZErrorResponse, "No such image") } }),
    delete: op("Unlike an image", { requestParams: { path: ZIdParam }, responses: { 200: { description: "`{ liked: false }`" }, 404: json(ZErrorResponse, "No such image") } }),
  },
  "/api/v1/images/{id}/vary": {
    post: op("Vary (Subtle or Strong)", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZVaryRequest } } },
      responses: { 202: json(ZJobView, "The new job"), 404: json(ZErrorResponse, "No such image") },
    }),
  },
  "/api/v1/images/{id}/upscale": {
    post: op("Upscale 2× (Subtle or Creative)", {
      requestParams: { path: ZIdParam },
      requestBody: { content: { "application/json": { schema: ZUpscaleRequest } } },
      responses: { 202: json(ZJobView, "The new job"), 404: json(ZErrorResponse, "No such image") },
    }),
  },
  "/api/v1/images/{id}/enhance": {
    post: op("Enhance a draft image to full quality", { requestParams: { path: ZIdParam }, responses: { 202: json(ZJobView, "The new job"), 404: json(ZErrorResponse, "No such image") } }),
  },
  "/api/v1/images/{id}/file": {
    get: op("The image file (owner only)", {
      requestParams: { path: ZIdParam, query: ZImageFileQuery },
      responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: json(ZErrorResponse, "No such image") },
    }),
  },
  "/api/v1/uploads": {
    post: op("Upload an image to use as an image prompt", {
      description: `The body is the file's bytes with its Content-Type (PNG, JPEG or WebP, at most ${UPLOAD_LIMITS.maxBytes / (1024 * 1024)} MiB and ${UPLOAD_LIMITS.maxInputPixels / 1e6} megapixels). The type is read from the bytes; the image is re-encoded (metadata removed, EXIF orientation applied, longest side at most ${UPLOAD_LIMITS.storedSide} px). At most ${UPLOAD_LIMITS.maxPerUser} uploads per user.`,
      requestBody: { content: { "image/png": { schema: binary }, "image/jpeg": { schema: binary }, "image/webp": { schema: binary } } },
      responses: {
        201: json(ZUpload, "Stored; pass `imagePrompt: { uploadId }` to POST /api/v1/jobs"),
        409: json(ZErrorResponse, "The per-user upload limit is reached; delete some"),
        429: json(ZErrorResponse, `More than ${UPLOAD_LIMITS.perMinute} uploads a minute, or ${UPLOAD_LIMITS.inFlightPerUser} of yours still in progress; see Retry-After`),
        413: json(ZErrorResponse, "Too many bytes or too many pixels"),
        415: json(ZErrorResponse, "Not a PNG, JPEG or WebP image"),
      },
    }),
    get: op("Your uploads, newest first", { responses: { 200: json(ZUploadList, `All of them (at most ${UPLOAD_LIMITS.maxPerUser})`) } }),
  },
  "/api/v1/uploads/{id}": {
    delete: op("Delete an upload (finished jobs keep their images; queued jobs that use it fail)", {
      requestParams: { path: ZIdParam },
      responses: { 204: { description: "Deleted" }, 404: json(ZErrorResponse, "No such upload") },
    }),
  },
  "/api/v1/uploads/{id}/file": {
    get: op("The re-encoded upload (owner only)", {
      requestParams: { path: ZIdParam, query: ZImageFileQuery },
      responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: json(ZErrorResponse, "No such upload") },
    }),
  },
  "/api/v1/personalization/pairs/next": {
    get: op("The next pair to rank, and one to prefetch", {
      responses: { 200: json(ZRankingPair, "Two images of one subject and seed that differ in style"), 503: json(ZErrorResponse, "The ranking pool is still being rendered") },
    }),
  },
  "/api/v1/personalization/pairs/{id}": {
    post: op("Answer an offered pair: left, right or skip (skips never count)", {
      requestParams: { path: ZPairIdParam },
      requestBody: { content: { "application/json": { schema: ZPairAnswerRequest } } },
      responses: { 200: json(ZPairAnswerResult, "The profile after the answer"), 409: json(ZErrorResponse, "Not offered, or already answered") },
    }),
  },
  "/api/v1/personalization/profile": {
    get: op("Your personalization: progress, unlocked, enabled, current code and metrics", { responses: { 200: json(ZPersonalizationProfile, "The profile") } }),
    patch: op("Turn personalization on or off by default", {
      requestBody: { content: { "application/json": { schema: ZProfileToggleRequest } } },
      responses: { 200: json(ZPersonalizationProfile, "The profile") },
    }),
  },
  "/api/v1/personalization/images/{id}": {
    get: op("A ranking-pool image file", {
      requestParams: { path: ZIdParam, query: ZPoolImageQuery },
      responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: json(ZErrorResponse, "No such image") },
    }),
  },
  "/api/v1/admin/personalization/pool": {
    post: op("Render (or re-render) a model's ranking pool (admin)", {
      requestBody: { content: { "application/json": { schema: ZPoolRequest } } },
      responses: { 202: json(ZPoolStatus, "Queued (false when a render is already queued)") },
    }),
  },
} satisfies ZodOpenApiPathsObject;

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
    paths: API_PATHS,
  });
}

