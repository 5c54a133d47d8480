import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

/** Submissions (any job: imagine, vary, upscale, rerun) one user may make per minute. */
export const SUBMISSIONS_PER_MINUTE = 60;

/**
 * Per-user rate limit on job submissions. The plan's cap on jobs in progress
 * already bounds the work; this bounds the requests: each refused one still
 * costs a transaction on the user's account row, so a script hammering the
 * API is stopped before any of that. Shared through Redis across web
 * processes; while Redis is unreachable each process limits on its own
 * (accepting work never depends on Redis).
 */
export function createSubmitLimiter(redis: Redis, prefix: string): (userId: string) => Promise<void> {
  const options = { points: SUBMISSIONS_PER_MINUTE, duration: 60 };
  const limiter = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    keyPrefix: `${prefix}:rl:submit`,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix: `${prefix}:rl:submit` }),
  });
  return async function consume(userId: string): Promise<void> {
    try {
      await limiter.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError("RATE_LIMITED", `Too many submissions: at most ${SUBMISSIONS_PER_MINUTE} a minute. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
  };
}
