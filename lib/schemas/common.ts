import { z } from "zod";

export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "UNAUTHORIZED" }),
      message: z.string().meta({ example: "Sign in, or send an API token as `Authorization: Bearer <token>`." }),
      fields: z.record(z.string(), z.string()).optional(),
    }),
  })
  .meta({ id: "Error" });

export const ZRole = z.enum(["user", "admin"]);
export type TRole = z.infer<typeof ZRole>;
