import { z } from "zod";

/**
 * OpenAI Images API request bodies, as its SDKs and the front ends built on
 * them send them. Unknown fields (background, output_format, moderation…)
 * are ignored rather than refused: newer clients add fields, and refusing
 * them would break those clients for nothing. Several fields arrive as null.
 */

export const OPENAI_IMAGE_N = { min: 1, max: 10 } as const;

const n = z.coerce.number().int().min(OPENAI_IMAGE_N.min).max(OPENAI_IMAGE_N.max).nullish();
/** "1024x1024", "1792x1024", "auto" (gpt-image), or absent. */
const size = z
  .string()
  .regex(/^(auto|[1-9]\d{0,4}x[1-9]\d{0,4})$/, { error: 'size must be "WIDTHxHEIGHT" (e.g. "1024x1024") or "auto"' })
  .nullish();
const responseFormat = z.enum(["url", "b64_json"]).nullish();
const prompt = z.string().trim().min(1, { error: "prompt is required" }).max(6000, { error: "prompt is too long (6000 characters at most)" });

export const ZGenerationsRequest = z.object({
  prompt,
  model: z.string().max(200).nullish(),
  n,
  size,
  /** low/medium → a draft (fewer steps), the rest → full quality. */
  quality: z.enum(["low", "medium", "high", "standard", "hd", "auto"]).nullish(),
  response_format: responseFormat,
  style: z.string().max(40).nullish(),
  user: z.string().max(200).nullish(),
});
export type TGenerationsRequest = z.infer<typeof ZGenerationsRequest>;

/** The text fields of POST /v1/images/edits (multipart); `image` and `mask` are file fields. */
export const ZEditsFields = z.object({
  prompt,
  model: z.string().max(200).nullish(),
  n,
  size,
  response_format: responseFormat,
  user: z.string().max(200).nullish(),
});
export type TEditsFields = z.infer<typeof ZEditsFields>;

/** The text fields of POST /v1/images/variations (multipart); `image` is a file field. */
export const ZVariationsFields = z.object({
  model: z.string().max(200).nullish(),
  n,
  size,
  response_format: responseFormat,
  user: z.string().max(200).nullish(),
});
export type TVariationsFields = z.infer<typeof ZVariationsFields>;

export interface ImagesResponse {
  created: number;
  data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
}
