import { z } from "zod";
import { ZOOM_FACTOR_RANGE } from "@/lib/editor/outpaint-layout";
import { ZId, ZSafeString } from "./common";

/**
 * The Editor's request bodies (POST /api/v1/images/{id}/edit and
 * /api/v1/uploads/{id}/edit). `prompt` is Remix: a new prompt (parameters
 * such as --no allowed); without it the image's own prompt is kept.
 */

/** Remix (Editor moves and Vary): new words and --no for the job; the rest of the image's recipe is kept. */
export const ZRemixPrompt = ZSafeString.max(6000, { error: "prompt is too long" })
  .optional()
  .meta({ description: "Remix: the new prompt (with parameters such as --no); the image's own prompt when absent" });
const prompt = ZRemixPrompt;

/** A data URL prefix is accepted, so a canvas's `toDataURL("image/png")` can be sent as it is. */
export const MASK_DATA_URL_PREFIX = /^data:image\/[\w.+-]+;base64,/;

export const ZMaskBase64 = z
  .string()
  .min(1, { error: "mask is empty" })
  .regex(/^(data:image\/[\w.+-]+;base64,)?[A-Za-z0-9+/]+={0,2}$/, { error: "mask must be a base64-encoded PNG" });

export const ZEditRequest = z
  .discriminatedUnion("kind", [
    z
      .strictObject({
        kind: z.literal("region"),
        mask: ZMaskBase64.optional().meta({ description: "Base64 PNG (a data URL is fine), white = repaint; resized to the image if its size differs" }),
        maskUploadId: ZId.optional().meta({ description: "Or an upload (POST /api/v1/uploads) holding the mask, for masks too large for a JSON body" }),
        prompt,
      })
      .refine((body) => (body.mask === undefined) !== (body.maskUploadId === undefined), { error: "give exactly one of mask or maskUploadId" }),
    z.strictObject({
      kind: z.literal("zoom"),
      factor: z.number().min(ZOOM_FACTOR_RANGE.min).max(ZOOM_FACTOR_RANGE.max).meta({ description: "1.5 and 2 are the buttons; any value from 1 to 2" }),
      prompt,
    }),
    z.strictObject({ kind: z.literal("pan"), direction: z.enum(["left", "right", "up", "down"]), prompt }),
    z.strictObject({ kind: z.literal("square"), prompt }),
  ])
  .meta({ id: "EditRequest" });
export type TEditRequest = z.infer<typeof ZEditRequest>;
