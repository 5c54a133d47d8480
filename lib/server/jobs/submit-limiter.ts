import type { Redis } from "ioredis";
import { createPerUserLimiter } from "../rate-limit";

/** Submissions (any job: imagine, vary, upscale, rerun) one user may make per minute. */
export const SUBMISSIONS_PER_MINUTE = 60;

/**
 * Per-user rate limit on job submissions. The plan's cap on jobs in progress
 * already bounds the work; this bounds the requests: each refused one still
 * costs a transaction on the user's account row, so a script hammering the
 * API is stopped before any of that.
 */
export function createSubmitLimiter(redis: Redis, prefix: string): (userId: string) => Promise<void> {
  return createPerUserLimiter(redis, prefix, { name: "submit", perMinute: SUBMISSIONS_PER_MINUTE, what: "submissions" });
}
