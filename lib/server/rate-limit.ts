import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

/**
 * A per-user limit on some request per minute, shared through Redis across
 * web processes; while Redis is unreachable each process limits on its own
 * (serving a user never depends on Redis). A refusal is a 429 with
 * Retry-After and a message naming the limit.
 */
export function createPerUserLimiter(redis: Redis, prefix: string, limit: { name: string; perMinute: number; what: string }): (userId: string) => Promise<void> {
  const options = { points: limit.perMinute, duration: 60 };
  const keyPrefix = `${prefix}:rl:${limit.name}`;
  const limiter = new RateLimiterRedis({
    ...options,
    storeClient: redis,
    keyPrefix,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix }),
  });
  return async function consume(userId: string): Promise<void> {
    try {
      await limiter.consume(userId);
    } catch (rejection) {
      // A refusal is a RateLimiterRes; checked by shape, because the production bundle can hold a second
      // copy of the class (instanceof was false there, and a refusal became a 500).
      if (!isRefusal(rejection)) throw rejection;
      const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new AppError("RATE_LIMITED", `Too many ${limit.what}: at most ${limit.perMinute} a minute. Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
    }
  };
}

function isRefusal(value: unknown): value is RateLimiterRes {
  return typeof value === "object" && value !== null && !(value instanceof Error) && typeof (value as { msBeforeNext?: unknown }).msBeforeNext === "number";
}
