import { readCappedText } from "@/lib/api/body";
import { AppError } from "@/lib/errors";
import { img2img } from "@/lib/protocols/a1111/generate";
import { a1111Route } from "@/lib/protocols/a1111/route";
import { ZImg2ImgRequest } from "@/lib/protocols/a1111/schemas";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";

/** An init image and a mask in base64 (4/3 of their bytes) plus the fields. */
const MAX_IMG2IMG_BYTES = Math.ceil((UPLOAD_LIMITS.maxBytes * 2 * 4) / 3) + 64 * 1024;

export const POST = a1111Route(async ({ req, principal, web }) => {
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with `Content-Type: application/json`.");
  }
  // The JSON reader's 64 KiB cap is for plain fields; this body carries images.
  let raw: unknown;
  try {
    raw = JSON.parse(await readCappedText(req, MAX_IMG2IMG_BYTES));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("BAD_REQUEST", "The body is not valid JSON.");
  }
  return img2img(web, principal, ZImg2ImgRequest.parse(raw), req.signal);
});
