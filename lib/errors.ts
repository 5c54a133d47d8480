/**
 * The one application error. `code` picks the HTTP status; `message` is what
 * the user reads (say what happened and what to do), `detail` goes to logs only.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INSUFFICIENT_FAST_TIME: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

/**
 * Marks every AppError, whichever copy of this module made it. Next.js bundles
 * a module once per layer (pages and route handlers get separate copies), and
 * the web context is created by whichever layer asks first, so an error thrown
 * by its rate limiters could fail a plain `instanceof` in a route handler and
 * turn a 429 into a 500. `instanceof AppError` checks this mark instead.
 */
const APP_ERROR = Symbol.for("mirage.AppError");

export class AppError extends Error {
  override name = "AppError";
  readonly [APP_ERROR] = true;
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[APP_ERROR] === true;
  }
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly options: { detail?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
