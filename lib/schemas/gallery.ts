import { z } from "zod";
import { dayString, safeText, ZCursor, ZSafeString } from "./common";
import { GALLERY_TYPES } from "./gallery-types";
import { ZJobSource } from "./jobs";

export { GALLERY_TYPES };

export const ZGalleryQuery = z.object({
  q: ZSafeString.trim().max(200, { error: "q must be at most 200 characters" }).optional(),
  type: z.enum(GALLERY_TYPES, { error: `type must be one of ${GALLERY_TYPES.join(", ")}` }).optional(),
  ar: z
    .string()
    .regex(/^\d{1,4}:\d{1,4}$/, { error: "ar must look like 16:9" })
    .optional(),
  liked: z.enum(["1", "true"]).optional(),
  from: dayString("from").optional(),
  to: dayString("to").optional(),
  model: z.string().regex(/^[\w.-]{1,100}$/, { error: "model must be a model folder name" }).optional(),
  personalized: z.enum(["1", "true", "0", "false"], { error: "personalized must be 1 or 0" }).optional(),
  folder: z.string().regex(/^[\w-]{1,64}$/, { error: "folder must be a folder id" }).optional(),
  cursor: ZCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(60),
});
export type TGalleryQuery = z.infer<typeof ZGalleryQuery>;

export const ZGalleryImage = z
  .object({
    id: z.string(),
    jobId: z.string(),
    prompt: z.string(),
    type: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    seed: z.number().int(),
    isDraft: z.boolean(),
    liked: z.boolean(),
    model: z.string(),
    createdAt: z.iso.datetime(),
    url: z.string(),
    thumbUrl: z.string(),
    addedBy: z
      .string()
      .optional()
      .meta({ description: "Only on a teammate's image seen through a team folder: the member who added it (its owner). Absent on your own images" }),
  })
  .meta({ id: "GalleryImage" });
export type TGalleryImage = z.infer<typeof ZGalleryImage>;

export const ZGalleryPage = z.object({ images: z.array(ZGalleryImage), nextCursor: z.string().nullable() }).meta({ id: "GalleryPage" });

const ZLineageNode = z.object({ id: z.string(), type: z.string(), thumbUrl: z.string().nullable(), removed: z.boolean() });
export const ZImageDetail = ZGalleryImage.extend({
  recipe: z.record(z.string(), z.unknown()).meta({ description: "Exact engine recipe: model, scheduler, steps, guidance, seed, size, strength" }),
  promptRecipe: z.record(z.string(), z.unknown()).meta({ description: "The parsed prompt with its parameters" }),
  source: ZJobSource,
  lineage: z.object({ ancestors: z.array(ZLineageNode), children: z.array(ZLineageNode) }),
}).meta({ id: "ImageDetail" });
export type TImageDetail = z.infer<typeof ZImageDetail>;

/** The filters a smart folder saves: those of GET /api/v1/images, less paging and folders. */
export const ZSmartQuery = ZGalleryQuery.omit({ cursor: true, limit: true, folder: true }).strict().meta({ id: "SmartQuery" });
export type TSmartQuery = z.infer<typeof ZSmartQuery>;

/** The longest folder name, in characters. */
export const MAX_FOLDER_NAME = 80;
const ZFolderName = safeText("name", MAX_FOLDER_NAME);
const ZFolderTeam = z.object({ id: z.string(), name: z.string() });

export const ZFolder = z
  .object({
    id: z.string(),
    name: z.string(),
    query: ZSmartQuery.nullable().meta({ description: "Set for a smart folder: the saved search it shows live" }),
    imageCount: z.number().int().nullable().meta({ description: "Images added by hand (null for a smart folder)" }),
    team: ZFolderTeam.nullable().meta({ description: "Set for a team folder: the team whose members all see it and add their own images to it" }),
    canManage: z.boolean().meta({ description: "Whether you may rename or delete it (and take out anyone's images): your own folder, or a team folder you created, or any team folder when you are the team's owner or a studio admin in the team" }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Folder" });
export type TFolder = z.infer<typeof ZFolder>;
export const ZFolderList = z
  .object({
    folders: z.array(ZFolder),
    team: ZFolderTeam.nullable().meta({ description: "The team you are in, whose folders you see and may add to (POST with `team: true` makes one); null when you are in none" }),
  })
  .meta({ id: "FolderList" });

export const ZCreateFolderRequest = z
  .strictObject({
    name: ZFolderName,
    query: ZSmartQuery.optional(),
    team: z
      .boolean({ error: "team must be true or false" })
      .optional()
      .meta({ description: "true: a team folder, shared with every member of your team (hand-made only, so not with `query`)" }),
  })
  .meta({ id: "CreateFolderRequest" });
export const ZUpdateFolderRequest = z
  .strictObject({ name: ZFolderName.optional(), query: ZSmartQuery.nullable().optional() })
  .meta({ id: "UpdateFolderRequest" });

export const MAX_BULK_IMAGES = 500;
export const ZImageIdsRequest = z
  .strictObject({
    imageIds: z
      .array(z.string().regex(/^[\w-]{1,64}$/, { error: "imageIds must be image ids" }))
      .min(1, { error: "imageIds must name at least one image" })
      .max(MAX_BULK_IMAGES, { error: `imageIds may name at most ${MAX_BULK_IMAGES} images` }),
  })
  .meta({ id: "ImageIdsRequest" });
export type TImageIdsRequest = z.infer<typeof ZImageIdsRequest>;
export const ZBulkResult = z.object({ count: z.number().int() }).meta({ id: "BulkResult" });
