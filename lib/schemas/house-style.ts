import { z } from "zod";

/**
 * A team's house style (docs/teams.md, "House style"): request and response
 * shapes, browser-safe. A version is one immutable vector on the model's
 * style axes, each value in [-1, 1], usable with `--p CODE`.
 */

/** At most this many axes (docs/personalization.md §1 keeps K ≤ 24). */
export const HOUSE_STYLE_MAX_AXES = 24;
/** How many versions of one model the page lists (newest first). */
export const HOUSE_STYLE_VERSIONS_SHOWN = 50;

/** Codes share the 8-character space of profile and moodboard codes. */
export const ZHouseStyleCode = z.string().regex(/^[a-z0-9]{8}$/, { error: "a house style code is 8 characters of a-z and 0-9" });
export const ZHouseStyleModelId = z.string().regex(/^[\w.-]{1,100}$/, { error: "modelId must be a model id from GET /api/v1/models" });

/** One slider value: where the style sits between the axis' negative (−1) and positive (+1) phrase. */
const ZAxisValue = z
  .number({ error: "each axis value must be a number" })
  .min(-1, { error: "each axis value must be between -1 and 1" })
  .max(1, { error: "each axis value must be between -1 and 1" });

export const ZHouseStyleQuery = z.object({
  model: ZHouseStyleModelId.optional().meta({ description: "The model whose versions and axes to show; default: the pinned version's model, else the studio's default model" }),
});

export const ZPoolHouseStyleRequest = z.strictObject({ modelId: ZHouseStyleModelId });

export const ZAdjustHouseStyleRequest = z.strictObject({
  modelId: ZHouseStyleModelId,
  /** The version the sliders started from (recorded as `adjustedFrom`); absent when starting from neutral. */
  fromCode: ZHouseStyleCode.optional(),
  /** One value per style axis of the model, in the model's axis order (the server checks the count). */
  axes: z.array(ZAxisValue).min(1, { error: "axes needs one value per style axis" }).max(HOUSE_STYLE_MAX_AXES, { error: `at most ${HOUSE_STYLE_MAX_AXES} axis values` }),
});
export type TAdjustHouseStyleRequest = z.infer<typeof ZAdjustHouseStyleRequest>;

export const ZPinHouseStyleRequest = z.strictObject({
  /** The version to pin as the team's `--p`, or null to unpin. */
  code: ZHouseStyleCode.nullable(),
});

export const ZHouseStyleSources = z.object({
  kind: z.enum(["pooled", "adjusted"]),
  /** Members whose profile or moodboards went in (each counts once). */
  members: z.number().int(),
  profiles: z.number().int(),
  moodboards: z.number().int(),
  /** The version the sliders started from (adjusted versions). */
  adjustedFrom: z.string().nullable().optional(),
  /** The user id who saved the adjustment. */
  adjustedBy: z.string().optional(),
});
export type THouseStyleSources = z.infer<typeof ZHouseStyleSources>;

export const ZHouseStyleVersion = z
  .object({
    id: z.string(),
    code: z.string(),
    model: z.string(),
    /** One value per axis, in the model's axis order, each in [-1, 1]. */
    axes: z.array(z.number()),
    sources: ZHouseStyleSources,
    createdBy: z.string().nullable().meta({ description: "Email of who made the version" }),
    createdAt: z.iso.datetime(),
    pinned: z.boolean(),
  })
  .meta({ id: "HouseStyleVersion" });
export type THouseStyleVersion = z.infer<typeof ZHouseStyleVersion>;

export const ZHouseStyleAxis = z.object({ id: z.string(), negative: z.string(), positive: z.string() });
export type THouseStyleAxis = z.infer<typeof ZHouseStyleAxis>;

export const ZHouseStyle = z
  .object({
    team: z.object({ id: z.string(), name: z.string() }),
    /** The model shown. */
    model: z.string(),
    /** Models with style axes, for the picker. */
    models: z.array(z.object({ id: z.string(), name: z.string() })),
    /** The shown model's named axes, in order (negative ↔ positive phrase). */
    axes: z.array(ZHouseStyleAxis),
    /** The pinned version (of any model; it applies only to jobs on its model), or null. */
    pinned: ZHouseStyleVersion.nullable(),
    /** The shown model's versions, newest first. */
    versions: z.array(ZHouseStyleVersion),
  })
  .meta({ id: "HouseStyle" });
export type THouseStyle = z.infer<typeof ZHouseStyle>;
