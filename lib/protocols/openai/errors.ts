import { ZodError } from "zod";
import { toErrorResponse } from "@/lib/api/route";
import { withNoStore } from "@/lib/api/no-store";
import { AppError, type TErrorCode } from "@/lib/errors";
import { JobWaitError } from "../wait-for-jobs";

/**
 * Errors in OpenAI's shape, `{ error: { message, type, param, code } }`, with
 * the statuses its SDKs turn into exception classes: 400 BadRequestError,
 * 401 AuthenticationError, 403 PermissionDeniedError, 404 NotFoundError,
 * 429 RateLimitError. Mirage's 402 (not enough fast time) becomes OpenAI's
 * 429 `insufficient_quota`, which is how those clients recognise an empty
 * balance. Statuses the SDKs retry on their own (408, 409, 5xx) are avoided
 * for errors a retry cannot fix, and `x-should-retry: false` tells the SDK
 * not to resubmit a job that is still running or has failed.
 */
export interface OpenAiError {
  status: number;
  message: string;
  type: string;
  param?: string | null;
  code?: string | null;
  headers?: Record<string, string>;
}

export function openAiErrorResponse(error: OpenAiError): Response {
  const body = { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code ?? null } };
  return withNoStore(Response.json(body, { status: error.status, headers: error.headers }));
}

const FROM_APP_ERROR: Record<TErrorCode, Omit<OpenAiError, "message">> = {
  BAD_REQUEST: { status: 400, type: "invalid_request_error" },
  UNAUTHORIZED: { status: 401, type: "invalid_request_error", code: "invalid_api_key" },
  INSUFFICIENT_FAST_TIME: { status: 429, type: "insufficient_quota", code: "insufficient_quota" },
  FORBIDDEN: { status: 403, type: "permission_error" },
  NOT_FOUND: { status: 404, type: "invalid_request_error", code: "not_found" },
  // An upload quota, a too-large or a wrongly typed body: the request must change, so 400.
  CONFLICT: { status: 400, type: "invalid_request_error", code: "conflict" },
  PAYLOAD_TOO_LARGE: { status: 400, type: "invalid_request_error", code: "payload_too_large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 400, type: "invalid_request_error", code: "unsupported_media_type" },
  RATE_LIMITED: { status: 429, type: "requests", code: "rate_limit_exceeded" },
  UNAVAILABLE: { status: 503, type: "server_error", code: "unavailable" },
};

export function toOpenAiError(error: unknown): Response {
  if (error instanceof AppError) {
    const mapped = FROM_APP_ERROR[error.code];
    const retryAfter = error.options.retryAfterSeconds;
    return openAiErrorResponse({ ...mapped, message: error.message, ...(retryAfter && { headers: { "retry-after": String(retryAfter) } }) });
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const param = issue?.path.join(".") || null;
    return openAiErrorResponse({ status: 400, type: "invalid_request_error", param, message: param ? `${param}: ${issue?.message}` : `Invalid request: ${issue?.message}` });
  }
  if (error instanceof JobWaitError) {
    return openAiErrorResponse({
      status: error.status,
      type: error.reason === "cancelled" ? "invalid_request_error" : "server_error",
      code: error.reason === "timeout" ? "timeout" : `job_${error.reason}`,
      message: error.message,
      headers: { "x-should-retry": "false" },
    });
  }
  // Unknown errors: logged and answered by the studio's own mapping, re-shaped.
  const fallback = toErrorResponse(error);
  return openAiErrorResponse({ status: fallback.status, type: "server_error", message: "Something went wrong on the studio's side. It has been logged; try again." });
}
