import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/**
 * Signed, expiring links to one image's PNG, for protocols whose clients
 * fetch results by URL without credentials (OpenAI's `response_format: url`).
 * The signature is an HMAC-SHA256 with the studio's AUTH_SECRET over the
 * image id and the expiry, so a link cannot be altered to reach another
 * image or live longer; everything else about images stays private.
 */
export const SIGNED_URL_TTL_SECONDS = 3600;
export const SIGNED_IMAGE_PATH = "/v1/files/images";

export const ZSignedQuery = z.object({
  expires: z.coerce.number().int().positive(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

function sign(secret: string, imageId: string, expires: number): string {
  // A purpose prefix keeps these signatures apart from anything else signed with AUTH_SECRET.
  return createHmac("sha256", secret).update(`mirage-signed-image\n${imageId}\n${expires}`).digest("base64url");
}

export function signedImageUrl(options: { publicUrl: string; secret: string; imageId: string; now?: number }): string {
  const expires = Math.floor((options.now ?? Date.now()) / 1000) + SIGNED_URL_TTL_SECONDS;
  const url = new URL(`${SIGNED_IMAGE_PATH}/${encodeURIComponent(options.imageId)}`, options.publicUrl);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("signature", sign(options.secret, options.imageId, expires));
  return url.toString();
}

/** Whether the link is genuine and not expired. */
export function verifySignedImage(options: { secret: string; imageId: string; expires: number; signature: string; now?: number }): boolean {
  if (options.expires * 1000 < (options.now ?? Date.now())) return false;
  const expected = Buffer.from(sign(options.secret, options.imageId, options.expires));
  const given = Buffer.from(options.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
