import { toNextJsHandler } from "better-auth/next-js";
import { MAX_JSON_BODY_BYTES, readCappedBytes } from "@/lib/api/body";
import { errorResponse, toErrorResponse } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { auditEmailSignIn } from "@/lib/server/audit/sign-in";
import { getWebContext } from "@/lib/server/context";

// GET|POST /api/auth/* – better-auth (sign-up, sign-in, sign-out, session)

function emailOf(body: Uint8Array): string {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof parsed === "object" && parsed && "email" in parsed && typeof parsed.email === "string" ? parsed.email : "";
  } catch {
    return "";
  }
}

async function limitSignIn(req: Request, body: Uint8Array): Promise<Response | null> {
  if (!new URL(req.url).pathname.endsWith("/sign-in/email")) return null;
  const { consumeSignIn, config } = getWebContext();
  const waitSeconds = await consumeSignIn(emailOf(body), clientAddress(req.headers, { trustProxy: config.TRUST_PROXY }));
  if (waitSeconds === null) return null;
  const wait = waitSeconds < 60 ? `${waitSeconds} second(s)` : `${Math.ceil(waitSeconds / 60)} minute(s)`;
  return errorResponse("RATE_LIMITED", `Too many sign-in attempts. Wait ${wait} and try again.`, 429, {}, { "Retry-After": String(waitSeconds) });
}

/**
 * better-auth reads bodies with `request.json()`, which has no size limit, so
 * the body is read here first under the JSON cap (413 as soon as it is
 * passed) and better-auth gets a copy of the bytes that were read.
 */
function withBody(req: Request, body: Uint8Array): Request {
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  return new Request(req.url, { method: req.method, headers, body: body.byteLength > 0 ? Buffer.from(body) : null, signal: req.signal });
}

const BODILESS_ERRORS: Record<number, { code: string; message: string }> = {
  404: { code: "NOT_FOUND", message: "No such auth endpoint." },
  405: { code: "METHOD_NOT_ALLOWED", message: "This auth endpoint does not take that method." },
};

/**
 * better-auth's router answers unknown paths and methods with an empty body;
 * give them a JSON message in better-auth's own error shape (what its
 * client reads), so every answer from /api/auth is JSON.
 */
async function withErrorBody(response: Response): Promise<Response> {
  if (response.status < 400 || response.headers.get("content-type")?.includes("json")) return response;
  const text = await response.text();
  const known = BODILESS_ERRORS[response.status] ?? { code: "ERROR", message: text || response.statusText || "The request failed." };
  return Response.json(known, { status: response.status, headers: { "cache-control": "no-store" } });
}

/** A failed audit write is logged; it must not turn a sign-in into a 500. */
async function auditSignIn(req: Request, body: Uint8Array, response: Response): Promise<void> {
  const { db, config, log } = getWebContext();
  await auditEmailSignIn(db, { email: emailOf(body), address: clientAddress(req.headers, { trustProxy: config.TRUST_PROXY }), response }).catch((error: unknown) =>
    log.error({ err: error }, "audit: sign-in not recorded"),
  );
}

export async function GET(req: Request) {
  try {
    return await withErrorBody(await toNextJsHandler(getWebContext().auth).GET(req));
  } catch (error) {
    return toErrorResponse(error);
  }
}

export async function POST(req: Request) {
  try {
    const body = await readCappedBytes(req, { maxBytes: MAX_JSON_BODY_BYTES });
    const response = await withErrorBody((await limitSignIn(req, body)) ?? (await toNextJsHandler(getWebContext().auth).POST(withBody(req, body))));
    if (new URL(req.url).pathname.endsWith("/sign-in/email")) await auditSignIn(req, body, response);
    return response;
  } catch (error) {
    return toErrorResponse(error);
  }
}
