import { z } from "zod";
import { safeText, ZId, ZRole } from "./common";

export const ZMe = z
  .object({
    id: z.string(),
    email: z.email(),
    role: ZRole,
    plan: z.string().nullable().meta({ description: "Name of the user's plan" }),
  })
  .meta({ id: "Me" });
export type TMe = z.infer<typeof ZMe>;

export const ZCreateTokenRequest = z.strictObject({
  name: safeText("name", 60),
});

export const ZApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "First characters of the token, to tell tokens apart" }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "ApiToken" });
export type TApiToken = z.infer<typeof ZApiToken>;

export const ZCreatedToken = ZApiToken.extend({
  token: z.string().meta({ description: "The secret; shown only in this response" }),
}).meta({ id: "CreatedApiToken" });

export const ZTokenList = z.object({ tokens: z.array(ZApiToken) }).meta({ id: "ApiTokenList" });

export const ZIdParam = z.object({ id: ZId });
