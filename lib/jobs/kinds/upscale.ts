import { z } from "zod";
import { engineCommon } from "./imagine";
import { defineJobKind } from "./kind";
import { commonParams, ZSourceImage } from "../params";

/** Upscale (Subtle / Creative): one image at twice the width and height. */
export const upscaleKind = defineJobKind({
  kind: "upscale",
  types: {
    "upscale-subtle": { label: "Upscale (Subtle)", fromImage: true },
    "upscale-creative": { label: "Upscale (Creative)", fromImage: true },
  },
  params: z.object({
    kind: z.literal("upscale"),
    ...commonParams,
    mode: z.enum(["subtle", "creative"]),
    source: ZSourceImage,
  }),
  outputSize: (params) => ({ width: params.source.width * 2, height: params.source.height * 2 }),
  imageCount: () => 1,
  costShape: (params) => ({ input: params.source, variant: params.mode }),
  async engineRequest(params, io) {
    return { kind: "upscale", ...engineCommon(params), mode: params.mode, image: await io.readImage(params.source.storageKey) };
  },
});
