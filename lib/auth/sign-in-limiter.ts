import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { whenRedisReady } from "@/lib/redis";

/**
 * Sign-in attempts per email (slows password guessing on one account) and per
 * client address when known (slows spraying across accounts).
 */
export function createSignInLimiter(redis: Redis, prefix: string) {
  const perEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:rl:signin:email`,
    points: 10,
    duration: 15 * 60,
  });
  const perAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:rl:signin:ip`,
    points: 50,
    duration: 15 * 60,
  });

  /** Resolves to null when allowed, or the seconds to wait. */
  return async function consume(email: string, address: string | null): Promise<number | null> {
    await whenRedisReady(redis);
    try {
      await perEmail.consume(email.trim().toLowerCase());
      if (address) await perAddress.consume(address);
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  };
}
