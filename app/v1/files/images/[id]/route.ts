import { ZSignedQuery, verifySignedImage } from "@/lib/protocols/signed-url";
import { openAiErrorResponse, toOpenAiError } from "@/lib/protocols/openai/errors";
import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";
import { imageFileResponse } from "@/lib/server/image-file-response";

/**
 * The signed, expiring links of `response_format: url` (lib/protocols/signed-url.ts):
 * no header needed, one image, an hour. Anything else (no or a wrong
 * signature, expired, a deleted image) is the same 404, so a link reveals
 * nothing about other images.
 */
export async function GET(req: Request, segment: { params: Promise<{ id: string }> }): Promise<Response> {
  const notFound = () => openAiErrorResponse({ status: 404, type: "invalid_request_error", code: "not_found", message: "This image link is invalid or has expired (links last an hour)." });
  const { id } = await segment.params;
  const query = ZSignedQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  const { db, storage, log, config } = getWebContext();
  if (!query.success || !verifySignedImage({ secret: config.AUTH_SECRET, imageId: id, ...query.data })) return notFound();
  const image = await db.image.findFirst({ where: { id, deletedAt: null }, select: { storageKey: true, jobId: true, index: true, seed: true } });
  if (!image) return notFound();
  try {
    return await imageFileResponse(storage, log, { storageKey: image.storageKey, variant: "full", downloadName: `mirage-${image.jobId.slice(-8)}-${image.index}-${image.seed}`, download: false });
  } catch (error) {
    // A file missing from storage reads like a bad link; an unreachable store is a 503.
    return error instanceof AppError && error.code === "NOT_FOUND" ? notFound() : toOpenAiError(error);
  }
}
