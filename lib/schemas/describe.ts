import { z } from "zod";
import { ZId } from "./common";

/** Describe: one of your uploads or one of your images → four prompts (docs/describe.md). */
export const ZDescribeRequest = z
  .strictObject({
    uploadId: ZId.optional().meta({ description: "An id from POST /api/v1/uploads" }),
    imageId: ZId.optional().meta({ description: "One of your generated images" }),
    model: z
      .string()
      .regex(/^[\w.-]{1,100}$/, { error: "model must be a model id from GET /api/v1/models" })
      .optional()
      .meta({ description: "Whose prompt language to describe in; default the studio's default model" }),
  })
  .refine((body) => (body.uploadId === undefined) !== (body.imageId === undefined), { error: "give exactly one of uploadId or imageId" })
  .meta({ id: "DescribeRequest" });
export type TDescribeRequest = z.infer<typeof ZDescribeRequest>;

export const DESCRIBE_PROMPT_COUNT = 4;

export const ZDescribeResponse = z
  .object({
    prompts: z.array(z.string()).length(DESCRIBE_PROMPT_COUNT).meta({ description: "Four prompts that would make something like the image, best first" }),
    model: z.string().meta({ description: "The model whose prompt language they are written in" }),
    describer: z.enum(["model", "llm"]).meta({ description: "`model`: the model's own describer; `llm`: the configured vision model" }),
  })
  .meta({ id: "DescribeResponse" });
export type TDescribeResponse = z.infer<typeof ZDescribeResponse>;
