import { z } from "zod";
import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import {
  ZBulkResult,
  ZCreateFolderRequest,
  ZFolder,
  ZFolderList,
  ZGalleryPage,
  ZGalleryQuery,
  ZImageDetail,
  ZImageIdsRequest,
  ZUpdateFolderRequest,
} from "@/lib/schemas/gallery";
import { ZImageFileQuery, ZJobView, ZUpscaleRequest, ZVaryRequest } from "@/lib/schemas/jobs";
import { defineEndpoint } from "../contract";

const ZLiked = z.object({ liked: z.boolean() });

/** A teammate's image seen through a team folder can be read, never changed or reused (docs/teams.md). */
const SHARED_IMAGE_403 = { 403: { schema: ZErrorResponse, description: "A teammate's image shared through a team folder: only its owner may do this" } };

export const listImages = defineEndpoint({
  method: "GET",
  path: "/api/v1/images",
  access: "user",
  summary: "Your images, newest first: full-text search and filters",
  query: ZGalleryQuery,
  responses: {
    200: { schema: ZGalleryPage, description: "A page of images; pass `nextCursor` as `cursor` for the next" },
    404: { schema: ZErrorResponse, description: "No such folder (or a team folder of a team you are not in)" },
  },
});

export const deleteImages = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/images",
  access: "user",
  summary: "Delete many images (restorable for 30 s with POST /api/v1/images/restore, then purged)",
  body: ZImageIdsRequest,
  responses: {
    200: { schema: ZBulkResult, description: "How many were deleted" },
    ...SHARED_IMAGE_403,
    404: { schema: ZErrorResponse, description: "An id is not one of your images (nothing deleted)" },
  },
});

export const restoreImages = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/restore",
  access: "user",
  summary: "Undo a delete within the undo window",
  body: ZImageIdsRequest,
  responses: {
    200: { schema: ZBulkResult, description: "How many were restored" },
    404: { schema: ZErrorResponse, description: "No such image" },
    409: { schema: ZErrorResponse, description: "The undo window has passed" },
  },
});

export const zipImages = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/zip",
  access: "user",
  summary: "Download images as one zip (full-size PNGs, streamed): your own, and teammates' seen through a team folder",
  body: ZImageIdsRequest,
  responses: { 200: { description: "application/zip" }, 404: { schema: ZErrorResponse, description: "An id is not an image you can see" } },
});

export const getImage = defineEndpoint({
  method: "GET",
  path: "/api/v1/images/{id}",
  access: "user",
  summary: "One image with its exact recipe and lineage (a teammate's, seen through a team folder: with `addedBy`, without lineage)",
  params: ZIdParam,
  responses: { 200: { schema: ZImageDetail, description: "The image" }, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const deleteImage = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/images/{id}",
  access: "user",
  summary: "Delete one image (restorable for 30 s, then purged)",
  params: ZIdParam,
  responses: { 200: { schema: ZBulkResult, description: "Deleted" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const likeImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/{id}/like",
  access: "user",
  summary: "Like an image",
  params: ZIdParam,
  responses: { 200: { schema: ZLiked, description: "`{ liked: true }`" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const unlikeImage = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/images/{id}/like",
  access: "user",
  summary: "Unlike an image",
  params: ZIdParam,
  responses: { 200: { schema: ZLiked, description: "`{ liked: false }`" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const varyImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/{id}/vary",
  access: "user",
  summary: "Vary (Subtle or Strong)",
  params: ZIdParam,
  body: ZVaryRequest,
  responses: { 202: { schema: ZJobView, description: "The new job" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const upscaleImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/{id}/upscale",
  access: "user",
  summary: "Upscale 2× (Subtle or Creative)",
  params: ZIdParam,
  body: ZUpscaleRequest,
  responses: { 202: { schema: ZJobView, description: "The new job" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const enhanceImage = defineEndpoint({
  method: "POST",
  path: "/api/v1/images/{id}/enhance",
  access: "user",
  summary: "Enhance a draft image to full quality",
  params: ZIdParam,
  responses: { 202: { schema: ZJobView, description: "The new job" }, ...SHARED_IMAGE_403, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const imageFile = defineEndpoint({
  method: "GET",
  path: "/api/v1/images/{id}/file",
  access: "user",
  summary: "The image file (its owner, or a teammate who sees it in a team folder)",
  params: ZIdParam,
  query: ZImageFileQuery,
  responses: { 200: { description: "image/png (full) or image/webp (thumb)" }, 404: { schema: ZErrorResponse, description: "No such image" } },
});

export const listFolders = defineEndpoint({
  method: "GET",
  path: "/api/v1/folders",
  access: "user",
  summary: "Your folders and smart folders, and your team's folders",
  responses: { 200: { schema: ZFolderList, description: "Folders by name; team folders have `team` set" } },
});

export const createFolder = defineEndpoint({
  method: "POST",
  path: "/api/v1/folders",
  access: "user",
  summary: "Create a folder, with `query` a smart folder (a saved search with the filters of GET /api/v1/images), or with `team: true` a folder shared with your team",
  body: ZCreateFolderRequest,
  responses: {
    201: { schema: ZFolder, description: "The folder" },
    403: { schema: ZErrorResponse, description: "`team: true` but you are in no team" },
    409: { schema: ZErrorResponse, description: "A folder with that name exists" },
  },
});

export const updateFolder = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/folders/{id}",
  access: "user",
  summary: "Rename a folder or change a smart folder's search",
  params: ZIdParam,
  body: ZUpdateFolderRequest,
  responses: {
    200: { schema: ZFolder, description: "The folder" },
    403: { schema: ZErrorResponse, description: "A team folder you did not make, and you are not the team's owner or an admin" },
    404: { schema: ZErrorResponse, description: "No such folder" },
    409: { schema: ZErrorResponse, description: "A folder with that name exists" },
  },
});

export const deleteFolder = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/folders/{id}",
  access: "user",
  summary: "Delete a folder (its images stay)",
  params: ZIdParam,
  responses: {
    204: { description: "Deleted" },
    403: { schema: ZErrorResponse, description: "A team folder you did not make, and you are not the team's owner or an admin" },
    404: { schema: ZErrorResponse, description: "No such folder" },
  },
});

export const addToFolder = defineEndpoint({
  method: "POST",
  path: "/api/v1/folders/{id}/images",
  access: "user",
  summary: "Add images to a folder (your own images only, also in a team folder)",
  params: ZIdParam,
  body: ZImageIdsRequest,
  responses: {
    200: { schema: ZBulkResult, description: "How many were added" },
    ...SHARED_IMAGE_403,
    404: { schema: ZErrorResponse, description: "No such folder or image" },
    409: { schema: ZErrorResponse, description: "A smart folder" },
  },
});

export const removeFromFolder = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/folders/{id}/images",
  access: "user",
  summary: "Take images out of a folder (in a team folder: those you added, or any if you manage the folder)",
  params: ZIdParam,
  body: ZImageIdsRequest,
  responses: {
    200: { schema: ZBulkResult, description: "How many were removed" },
    403: { schema: ZErrorResponse, description: "A teammate's image in a team folder you do not manage" },
    404: { schema: ZErrorResponse, description: "No such folder" },
  },
});
