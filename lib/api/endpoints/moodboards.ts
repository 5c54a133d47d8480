import { ZIdParam } from "@/lib/schemas/account";
import { ZErrorResponse } from "@/lib/schemas/common";
import {
  MOODBOARD_LIMITS,
  ZAddMoodboardImagesRequest,
  ZCreateMoodboardRequest,
  ZMoodboard,
  ZMoodboardItemParams,
  ZMoodboardList,
  ZRenameMoodboardRequest,
} from "@/lib/schemas/moodboards";
import { defineEndpoint } from "../contract";

// Moodboards (docs/references.md §5): named sets of your images whose mean style is a --p code.

export const listMoodboards = defineEndpoint({
  method: "GET",
  path: "/api/v1/moodboards",
  access: "user",
  summary: "Your moodboards, newest first",
  responses: { 200: { schema: ZMoodboardList, description: `All of them (at most ${MOODBOARD_LIMITS.perUser})` } },
});

export const createMoodboard = defineEndpoint({
  method: "POST",
  path: "/api/v1/moodboards",
  access: "user",
  summary: "Make a moodboard (optionally with images); its code works with --p",
  body: ZCreateMoodboardRequest,
  responses: {
    201: { schema: ZMoodboard, description: "Created" },
    404: { schema: ZErrorResponse, description: "An image or upload is not yours" },
    409: { schema: ZErrorResponse, description: "The per-user moodboard limit is reached" },
  },
});

export const renameMoodboard = defineEndpoint({
  method: "PATCH",
  path: "/api/v1/moodboards/{id}",
  access: "user",
  summary: "Rename a moodboard",
  params: ZIdParam,
  body: ZRenameMoodboardRequest,
  responses: { 200: { schema: ZMoodboard, description: "Renamed" }, 404: { schema: ZErrorResponse, description: "No such moodboard" } },
});

export const deleteMoodboard = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/moodboards/{id}",
  access: "user",
  summary: "Delete a moodboard (its code stops working; jobs made with it keep their images)",
  params: ZIdParam,
  responses: { 204: { description: "Deleted" }, 404: { schema: ZErrorResponse, description: "No such moodboard" } },
});

export const addMoodboardImages = defineEndpoint({
  method: "POST",
  path: "/api/v1/moodboards/{id}/images",
  access: "user",
  summary: "Add your uploads or images to a moodboard (each is measured on the model's style axes)",
  params: ZIdParam,
  body: ZAddMoodboardImagesRequest,
  responses: {
    200: { schema: ZMoodboard, description: "The moodboard with the images added (ones already on it are skipped)" },
    400: { schema: ZErrorResponse, description: `More than ${MOODBOARD_LIMITS.images} images` },
    404: { schema: ZErrorResponse, description: "No such moodboard, image or upload" },
  },
});

export const removeMoodboardImage = defineEndpoint({
  method: "DELETE",
  path: "/api/v1/moodboards/{id}/images/{itemId}",
  access: "user",
  summary: "Take an image off a moodboard",
  params: ZMoodboardItemParams,
  responses: { 200: { schema: ZMoodboard, description: "The moodboard without it" }, 404: { schema: ZErrorResponse, description: "No such moodboard or image on it" } },
});
