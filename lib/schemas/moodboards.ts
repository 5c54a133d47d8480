import { z } from "zod";

/** Moodboards (docs/references.md §5): request and response shapes, browser-safe. */
export const MOODBOARD_LIMITS = { nameChars: 80, images: 100, perUser: 50, addAtOnce: 50 } as const;

const ZMoodboardName = z
  .string()
  .trim()
  .min(1, "a moodboard needs a name")
  .max(MOODBOARD_LIMITS.nameChars, `a moodboard name has at most ${MOODBOARD_LIMITS.nameChars} characters`);

/** One image to add: one of your uploads or one of your results. */
export const ZMoodboardImageRef = z.union([z.strictObject({ uploadId: z.uuid() }), z.strictObject({ imageId: z.uuid() })]);
export type TMoodboardImageRef = z.infer<typeof ZMoodboardImageRef>;

export const ZCreateMoodboardRequest = z.strictObject({
  name: ZMoodboardName,
  images: z.array(ZMoodboardImageRef).max(MOODBOARD_LIMITS.addAtOnce).optional(),
});
export const ZRenameMoodboardRequest = z.strictObject({ name: ZMoodboardName });
export const ZAddMoodboardImagesRequest = z.strictObject({ images: z.array(ZMoodboardImageRef).min(1).max(MOODBOARD_LIMITS.addAtOnce) });
export const ZMoodboardItemParams = z.object({ id: z.uuid(), itemId: z.uuid() });

export const ZMoodboard = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  /** Use with --p (alone, or blended with profile codes and other moodboards). */
  code: z.string(),
  images: z.array(z.object({ id: z.string(), uploadId: z.string().nullable(), imageId: z.string().nullable(), thumbUrl: z.string() })),
  /** The mean style of the images on the model's axes (null while empty). */
  style: z.array(z.object({ axis: z.string(), value: z.number() })).nullable(),
  createdAt: z.string(),
});
export type TMoodboard = z.infer<typeof ZMoodboard>;
export const ZMoodboardList = z.object({ moodboards: z.array(ZMoodboard) });
