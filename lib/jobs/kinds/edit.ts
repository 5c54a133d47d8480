import { z } from "zod";
import { ZOOM_FACTOR_RANGE } from "@/lib/editor/outpaint-layout";
import { engineCommon } from "./imagine";
import { defineJobKind } from "./kind";
import { commonParams } from "../params";

/**
 * What an Editor job does to its source, recorded so Rerun is exact: the
 * stored mask's key (a PNG next to the user's images, white = repaint), the
 * zoom factor or the pan direction.
 */
export const ZEditOperation = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("region"), maskStorageKey: z.string().min(1) }),
  z.object({ kind: z.literal("zoom"), factor: z.number().min(ZOOM_FACTOR_RANGE.min).max(ZOOM_FACTOR_RANGE.max) }),
  z.object({ kind: z.literal("pan"), direction: z.enum(["left", "right", "up", "down"]) }),
  z.object({ kind: z.literal("square") }),
]);
export type TEditOperation = z.infer<typeof ZEditOperation>;

/** The job type each operation is stored as (what Organize and the feed show). */
export const EDIT_JOB_TYPES = { region: "vary-region", zoom: "zoom-out", pan: "pan", square: "make-square" } as const satisfies Record<TEditOperation["kind"], string>;

/**
 * The Editor: Vary Region (inpainting), Zoom Out, Pan and Make Square
 * (outpainting), on one of the user's images or uploads. Four results, like
 * every grid; the engine keeps the pixels outside the mask (docs/editor.md).
 */
export const editKind = defineJobKind({
  kind: "edit",
  types: {
    [EDIT_JOB_TYPES.region]: { label: "Vary (Region)", fromImage: true },
    [EDIT_JOB_TYPES.zoom]: { label: "Zoom Out", fromImage: true },
    [EDIT_JOB_TYPES.pan]: { label: "Pan", fromImage: true },
    [EDIT_JOB_TYPES.square]: { label: "Make Square", fromImage: true },
  },
  params: z.object({
    kind: z.literal("edit"),
    ...commonParams,
    edit: ZEditOperation,
    /**
     * The stored image edited and the size it is edited at (an upload is
     * resized to the model's sizes; a result keeps its own).
     */
    source: z.object({
      storageKey: z.string(),
      imageId: z.string().optional(),
      uploadId: z.string().optional(),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    }),
    /** The canvas the engine produces, decided at acceptance with the model's size multiple. */
    output: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
    count: z.number().int().min(1).max(4),
  }),
  outputSize: (params) => params.output,
  imageCount: (params) => params.count,
  // GPU time follows the canvas that is denoised and the operation (Region encodes the mask too).
  costShape: (params) => ({ input: params.output, variant: params.edit.kind }),
  async engineRequest(params, io) {
    const size = { width: params.source.width, height: params.source.height };
    // An upload is stored at its own size: cover the edit size, as image prompts do. Results already are that size.
    const image = await io.readImage(params.source.storageKey, params.source.uploadId ? size : undefined);
    const common = { ...engineCommon(params), image, count: params.count };
    const edit = params.edit;
    // The stored mask PNG read back as RGB: the engine reads white (≥ 128) as repaint.
    if (edit.kind === "region") return { kind: "inpaint", ...common, mask: await io.readImage(edit.maskStorageKey, size) };
    const move = edit.kind === "zoom" ? { kind: "zoom" as const, factor: edit.factor } : edit.kind === "pan" ? { kind: "pan" as const, direction: edit.direction } : { kind: "square" as const };
    return { kind: "outpaint", ...common, move };
  },
});
