import { z } from "zod";
import { ZPlanName } from "./plans";
import { ZRole } from "./common";

export const ZAdminUser = z
  .object({
    id: z.string(),
    email: z.email(),
    name: z.string(),
    role: ZRole,
    plan: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "AdminUser" });
export type TAdminUser = z.infer<typeof ZAdminUser>;

export const ZAdminUserList = z.object({ users: z.array(ZAdminUser) }).meta({ id: "AdminUserList" });

export const ZUpdateUserRequest = z
  .strictObject({ role: ZRole.optional(), plan: ZPlanName.optional(), disabled: z.boolean().optional() })
  .refine((body) => body.role !== undefined || body.plan !== undefined || body.disabled !== undefined, { error: "give role, plan and/or disabled" });

export const ZStudioSettings = z
  .object({ signupOpen: z.boolean().meta({ description: "Whether anyone may create an account" }) })
  .meta({ id: "StudioSettings" });
export type TStudioSettings = z.infer<typeof ZStudioSettings>;

export const ZUpdateSettingsRequest = z.strictObject({ signupOpen: z.boolean() });
