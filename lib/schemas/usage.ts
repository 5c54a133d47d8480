import { ZImagePromptRef, ZJobMode } from "./jobs";
import { dayString, ZSafeString } from "./common";
import { z } from "zod";

export const ZUsage = z
  .object({
    plan: z.string().nullable(),
    period: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
    fast: z.object({
      allowanceMs: z.number().int(),
      grantedMs: z.number().int(),
      usedMs: z.number().int(),
      heldMs: z.number().int(),
      remainingMs: z.number().int(),
    }),
    relaxMs: z.number().int(),
    relaxAllowed: z.boolean(),
    autoRelax: z.boolean().meta({ description: "Run jobs in Relax when fast time runs out, instead of refusing them" }),
    recentJobs: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        mode: z.string(),
        status: z.string(),
        prompt: z.string(),
        gpuMs: z.number().int(),
        multiplier: z.number(),
        chargedMs: z.number().int().nullable(),
        createdAt: z.iso.datetime(),
        fundedBy: z
          .enum(["team", "own"])
          .nullable()
          .meta({ description: "Whose fast time the job's reservation came from: the team pool or the user's own; null when it reserved none (Relax)" }),
      }),
    ),
  })
  .meta({ id: "Usage" });
export type TUsage = z.infer<typeof ZUsage>;

export const ZEstimateRequest = z.strictObject({
  prompt: ZSafeString.min(1).max(6000),
  mode: ZJobMode.optional(),
  model: z.string().regex(/^[\w.-]{1,100}$/, { error: "model must be a model id from GET /api/v1/models" }).optional(),
  imagePrompt: ZImagePromptRef.optional(),
});
export const ZEstimate = z
  .object({
    jobs: z.number().int(),
    mode: ZJobMode,
    gpuMs: z.number().int().meta({ description: "Estimated GPU time of all the jobs" }),
    multiplier: z.number(),
    chargeMs: z.number().int().meta({ description: "Fast time it would reserve" }),
    remainingMs: z.number().int(),
    limit: z
      .string()
      .nullable()
      .meta({ description: "Why submitting this now would be refused by the plan (jobs in progress, fast time left), or null" }),
  })
  .meta({ id: "Estimate" });
export type TEstimate = z.infer<typeof ZEstimate>;

export const ZGrantRequest = z.strictObject({
  // Fast time is kept in milliseconds; a grant under a second would round to (almost) nothing.
  hours: z.number().min(1 / 3600, { error: "hours must be at least one second (1/3600 ≈ 0.00028)" }).max(1000, { error: "hours must be at most 1000" }),
  note: ZSafeString.max(200).optional(),
});

export const ZAdminUsageQuery = z.object({
  from: dayString("from").optional(),
  to: dayString("to").optional(),
  groupBy: z.enum(["user", "day", "mode", "type"]).default("day"),
  format: z.enum(["json", "csv"]).default("json"),
});
export const ZAdminUsageRow = z
  .object({ key: z.string(), mode: z.string().nullable(), jobs: z.number().int(), gpuMs: z.number().int(), chargedMs: z.number().int() })
  .meta({ id: "AdminUsageRow" });
export const ZAdminUsage = z
  .object({ from: z.string(), to: z.string(), groupBy: z.string(), rows: z.array(ZAdminUsageRow) })
  .meta({ id: "AdminUsage" });
export type TAdminUsage = z.infer<typeof ZAdminUsage>;

/** Create's settings panel, kept per user on the server (PATCH /api/v1/me/settings `{ create }`). */
export const ZCreateSettings = z
  .strictObject({
    aspect: z.string().regex(/^\d{1,2}:\d{1,2}$/, { error: "aspect must look like 16:9" }),
    stylize: z.number().int().min(0).max(1000),
    chaos: z.number().int().min(0).max(100),
    mode: z.enum(["turbo", "fast", "relax"]),
    draft: z.boolean(),
    model: z.string().regex(/^[\w.-]{1,100}$/, { error: "model must be a model folder name" }).nullable(),
    // Optional so settings saved before Remix existed still parse.
    remix: z.boolean().default(false).meta({ description: "Remix: Vary, Zoom, Pan and Make Square ask for the prompt first" }),
  })
  .meta({ id: "CreateSettings" });
export type TCreateSettings = z.infer<typeof ZCreateSettings>;

export const ZUsageSettingsRequest = z
  .strictObject({
    autoRelax: z.boolean().optional(),
    create: ZCreateSettings.optional().meta({ description: "Create's settings panel, restored on the next visit" }),
  })
  .refine((body) => body.autoRelax !== undefined || body.create !== undefined, { error: "Send autoRelax, create or both" });

export const ZPlan = z
  .object({
    id: z.string(),
    name: z.string(),
    fastHours: z.number(),
    concurrentJobs: z.number().int(),
    queuedJobs: z.number().int(),
    relaxAllowed: z.boolean(),
    maxRepeat: z.number().int(),
    priceUsdPerMonth: z.number().int(),
  })
  .meta({ id: "Plan" });
export type TPlan = z.infer<typeof ZPlan>;
export const ZPlanList = z.object({ plans: z.array(ZPlan) }).meta({ id: "PlanList" });
export const ZUpdatePlanRequest = z
  .strictObject({
    fastHours: z.number().min(0).max(10_000).optional(),
    concurrentJobs: z.number().int().min(1).max(100).optional(),
    queuedJobs: z.number().int().min(0).max(1000).optional(),
    relaxAllowed: z.boolean().optional(),
    maxRepeat: z.number().int().min(1).max(40).optional(),
    priceUsdPerMonth: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: "give at least one field to change" });
