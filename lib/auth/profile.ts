import { z } from "zod";
import { safeText } from "@/lib/schemas/common";

export const MAX_NAME_LENGTH = 80;
export const MAX_IMAGE_URL_LENGTH = 2048;

/**
 * The profile fields a user sets themselves (better-auth's sign-up and
 * update-user bodies). better-auth takes any string for both: a 30 MB name
 * then rode along with every session fetch and admin listing, and `image`
 * could be `javascript:…`. Only http(s) URLs are images here.
 */
export const ZProfileFields = z.object({
  name: safeText("name", MAX_NAME_LENGTH).optional(),
  image: z
    .url({ protocol: /^https?$/, error: "image must be an http(s) URL" })
    .max(MAX_IMAGE_URL_LENGTH, { error: `image must be at most ${MAX_IMAGE_URL_LENGTH} characters` })
    .nullable()
    .optional(),
});

/** The first problem with the profile fields of a body, or null when they are fine (or absent). */
export function profileProblem(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const parsed = ZProfileFields.safeParse(body);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return issue ? (issue.message.startsWith(String(issue.path[0])) ? issue.message : `${issue.path.join(".")}: ${issue.message}`) : "invalid profile";
}
