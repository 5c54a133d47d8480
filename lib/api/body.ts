import { AppError } from "@/lib/errors";

/** The most any JSON body (API or sign-in) may hold; nothing larger is ever buffered. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

function tooLarge(maxBytes: number, what: string): AppError {
  const size = maxBytes >= 1024 * 1024 ? `${maxBytes / (1024 * 1024)} MiB` : `${maxBytes / 1024} KiB`;
  return new AppError("PAYLOAD_TOO_LARGE", `The ${what} is larger than ${size}.`);
}

/**
 * Reads a request body into memory with a byte cap that holds before
 * anything past the cap is buffered: a declared Content-Length over the cap
 * is refused without reading, and a chunked body is cut off (the stream is
 * cancelled, which ends the upload) as soon as it passes the cap. `Request.text()`
 * and `.json()` have no such limit and would hold a 700 MB body whole.
 */
export async function readCappedBytes(req: Request, options: { maxBytes: number; what?: string }): Promise<Uint8Array> {
  const what = options.what ?? "body";
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > options.maxBytes) throw tooLarge(options.maxBytes, what);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = req.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(options.maxBytes, what);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks);
}

/** A capped body decoded as UTF-8 text (invalid sequences become U+FFFD). */
export async function readCappedText(req: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<string> {
  return new TextDecoder().decode(await readCappedBytes(req, { maxBytes }));
}
