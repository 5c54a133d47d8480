import "server-only";
import { AppError } from "@/lib/errors";
import type { Logger } from "@/lib/log";
import { IMAGE_CONTENT_TYPE, imageFileKey, type ObjectStore, type TImageVariant } from "@/lib/storage";

/**
 * Streams one stored image variant (a result or an upload) to its owner, with
 * the headers every private image file gets. The caller has already checked
 * that the row belongs to the asking user.
 */
export async function imageFileResponse(
  storage: ObjectStore,
  log: Logger,
  file: { storageKey: string; variant: TImageVariant; downloadName: string; download: boolean },
): Promise<Response> {
  const key = imageFileKey(file.storageKey, file.variant);
  const stored = await storage.get(key).catch((error: unknown) => {
    // An unreachable store is a server problem; say so without details.
    log.error({ err: error, key, driver: storage.driver }, "image storage read failed");
    throw new AppError("UNAVAILABLE", "Image storage is unreachable; try again shortly.");
  });
  if (!stored) throw new AppError("NOT_FOUND", "The image file is missing from storage.");
  const extension = file.variant === "full" ? "png" : "webp";
  return new Response(stored.body, {
    headers: {
      "Content-Type": IMAGE_CONTENT_TYPE[file.variant],
      ...(stored.size === undefined ? {} : { "Content-Length": String(stored.size) }),
      // Image files never change once written; they are private to their owner.
      "Cache-Control": "private, max-age=31536000, immutable",
      "Content-Disposition": `${file.download ? "attachment" : "inline"}; filename="${file.downloadName}.${extension}"`,
      "Content-Security-Policy": "default-src 'none'",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
