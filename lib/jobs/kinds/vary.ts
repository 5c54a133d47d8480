import { z } from "zod";
import { engineCommon } from "./imagine";
import { defineJobKind } from "./kind";
import { commonParams, ZSourceImage } from "../params";

/** Vary (Subtle / Strong): four new images from one of the user's images, by img2img at full quality. */
export const varyKind = defineJobKind({
  kind: "vary",
  types: {
    "vary-subtle": { label: "Vary (Subtle)", fromImage: true },
    "vary-strong": { label: "Vary (Strong)", fromImage: true },
  },
  params: z.object({
    kind: z.literal("vary"),
    ...commonParams,
    strength: z.enum(["subtle", "strong"]),
    source: ZSourceImage,
    count: z.number().int().min(1).max(4),
  }),
  outputSize: (params) => ({ width: params.source.width, height: params.source.height }),
  imageCount: (params) => params.count,
  costShape: (params) => ({ input: params.source, variant: params.strength }),
  async engineRequest(params, io) {
    return { kind: "vary", ...engineCommon(params), strength: params.strength, image: await io.readImage(params.source.storageKey), count: params.count };
  },
});
