import { z } from "zod";

/** A pair id as offered: `leftImageId~rightImageId`. */
export const ZPairIdParam = z.object({ id: z.string().regex(/^[0-9a-f-]{36}~[0-9a-f-]{36}$/, "a pair id from GET /api/v1/personalization/pairs/next") });

export const ZPairAnswerRequest = z.strictObject({
  choice: z.enum(["left", "right", "skip"]),
  /** Milliseconds from showing the pair to the answer (stored for analysis). */
  latencyMs: z.number().int().min(0).max(3_600_000).optional(),
});

export const ZProfileToggleRequest = z.strictObject({ enabled: z.boolean() });

export const ZPoolRequest = z.strictObject({
  model: z.string().regex(/^[\w.-]+$/).optional(),
  /** Render every image again (e.g. after the model's weights changed); answers are kept. */
  rerender: z.boolean().optional(),
});

export const ZPoolImageQuery = z.object({ size: z.enum(["thumb", "full"]).default("full") });

const ZProgress = z.object({ ranked: z.number().int(), required: z.number().int(), skipped: z.number().int() });
const ZShownImage = z.object({ id: z.string(), url: z.string() });
const ZOfferedPair = z.object({ pairId: z.string(), kind: z.string(), left: ZShownImage, right: ZShownImage });

export const ZRankingPair = ZOfferedPair.extend({ progress: ZProgress, prefetch: ZOfferedPair.nullable() });

export const ZPersonalizationProfile = z.object({
  model: z.string(),
  unlocked: z.boolean(),
  enabled: z.boolean(),
  code: z.string().nullable(),
  version: z.number().int().nullable(),
  metrics: z.record(z.string(), z.unknown()).nullable(),
  weights: z.array(z.number()).nullable(),
  axes: z.array(z.object({ id: z.string(), negative: z.string(), positive: z.string() })),
  progress: ZProgress,
});

export const ZPairAnswerResult = ZPersonalizationProfile.extend({
  unlockedNow: z.boolean(),
  created: z.object({ code: z.string(), version: z.number().int() }).nullable(),
});

export const ZPoolStatus = z.object({ model: z.string(), images: z.number().int(), queued: z.boolean() });
