import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { whenRedisReady } from "@/lib/redis";

const WINDOW_SECONDS = 15 * 60;

/** The sign-in limits; exported so tests and the README state the same numbers. */
export const SIGN_IN_LIMITS = {
  /** Attempts on one account from one address before that pair is locked for the window. */
  perEmailAndAddress: 10,
  /** Attempts from one address across all accounts (password spraying). */
  perAddress: 50,
  /** Attempts on one account from all addresses before it is slowed down. */
  perEmailBurst: 20,
  /** Once slowed, one attempt per account every this many seconds. */
  slowdownSeconds: 10,
  windowSeconds: WINDOW_SECONDS,
} as const;

/**
 * Sign-in attempts are limited three ways:
 * - per (email, address): guessing one password from one place is locked for
 *   15 minutes after 10 tries; this is the only hard lock on an account, and
 *   it only locks out the address doing the guessing;
 * - per address: spraying many accounts from one place is locked after 50;
 * - per email across addresses: after 20 tries the account is slowed to one
 *   attempt every 10 seconds instead of locked, so an attacker with many
 *   addresses gains little and cannot lock the owner out (they wait seconds).
 * A hard per-email lock would let anyone lock any account by failing on purpose.
 */
export function createSignInLimiter(redis: Redis, prefix: string) {
  const limiter = (name: string, points: number, duration: number) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}:rl:signin:${name}`, points, duration });
  const perPair = limiter("pair", SIGN_IN_LIMITS.perEmailAndAddress, WINDOW_SECONDS);
  const perAddress = limiter("addr", SIGN_IN_LIMITS.perAddress, WINDOW_SECONDS);
  const perEmailBurst = limiter("email", SIGN_IN_LIMITS.perEmailBurst, WINDOW_SECONDS);
  const perEmailSlow = limiter("email-slow", 1, SIGN_IN_LIMITS.slowdownSeconds);

  /** Resolves to null when allowed, or the seconds to wait. */
  return async function consume(email: string, address: string): Promise<number | null> {
    await whenRedisReady(redis);
    const account = email.trim().toLowerCase();
    try {
      await perPair.consume(`${account}\n${address}`);
      await perAddress.consume(address);
      try {
        await perEmailBurst.consume(account);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        await perEmailSlow.consume(account);
      }
      return null;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  };
}
