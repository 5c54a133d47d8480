import { ZodError, type z } from "zod";
import { AppError } from "@/lib/errors";
import { getWebContext } from "@/lib/server/context";
import { MAX_JSON_BODY_BYTES, readCappedBytes, readCappedText } from "./body";
import { withNoStore } from "./no-store";

export function errorResponse(code: string, message: string, status: number, extra: Record<string, unknown> = {}, headers: HeadersInit = {}) {
  return withNoStore(Response.json({ error: { code, message, ...extra } }, { status, headers }));
}

function zodErrorResponse(error: ZodError, where: string): Response {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || where;
    fields[field] ??= issue.message;
  }
  const summary = Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join("; ");
  return errorResponse("BAD_REQUEST", `Invalid ${where} — ${summary}`, 400, { fields });
}

/** Errors that mean Postgres or Redis is unreachable: the client should retry later. */
function isUnavailable(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message} ${(error as { code?: string }).code ?? ""}` : "";
  // 57P01-03 and 08xxx are Postgres shutting down, starting up or dropping the connection (a restart).
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|P1001|P1017|P2024|P2028|57P0[123]|\b080(?:00|01|03|06)\b|Connection is closed|Connection terminated|Stream isn't writeable|Can't reach database|terminating connection|database system is (?:shutting down|starting up|not yet accepting|in recovery)/i.test(text);
}

export function toErrorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = error.options.retryAfterSeconds ? { "Retry-After": String(error.options.retryAfterSeconds) } : {};
    return errorResponse(error.code, error.message, error.status, {}, headers);
  }
  if (error instanceof ZodError) return zodErrorResponse(error, "request");
  const { log } = getWebContext();
  if (isUnavailable(error)) {
    log.warn({ err: error }, "backing service unavailable");
    return errorResponse("UNAVAILABLE", "The studio's database or queue is unreachable right now. Try again in a few seconds.", 503, {}, { "Retry-After": "5" });
  }
  log.error({ err: error }, "unhandled error in API route");
  return errorResponse("INTERNAL", "Something went wrong on our side. It has been logged; try again.", 500);
}

/** Parses a JSON body with a size cap and a schema; errors name the field. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with `Content-Type: application/json`.");
  }
  const text = await readCappedText(req, MAX_JSON_BODY_BYTES);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

/**
 * Reads a raw binary body (an uploaded image) with a byte cap that holds
 * before anything is buffered: a declared Content-Length over the cap is
 * refused at once, and a chunked body is cut off as soon as it passes it.
 */
export async function readBinaryBody(req: Request, options: { maxBytes: number; accept: RegExp; hint: string }): Promise<Uint8Array> {
  const type = req.headers.get("content-type") ?? "";
  if (!options.accept.test(type)) throw new AppError("UNSUPPORTED_MEDIA_TYPE", options.hint);
  const bytes = await readCappedBytes(req, { maxBytes: options.maxBytes, what: "file" });
  if (bytes.byteLength === 0) throw new AppError("BAD_REQUEST", "The body is empty: send the file's bytes.");
  return bytes;
}

export function parseParams<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}
