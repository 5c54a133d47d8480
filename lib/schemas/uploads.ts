import { z } from "zod";

export const ZUpload = z
  .object({
    id: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    bytes: z.number().int().meta({ description: "Size of the stored, re-encoded PNG" }),
    url: z.string(),
    thumbUrl: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Upload" });
export type TUpload = z.infer<typeof ZUpload>;

export const ZUploadList = z.object({ uploads: z.array(ZUpload) }).meta({ id: "UploadList" });
