import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createSignInLimiter } from "@/lib/auth/sign-in-limiter";
import { createRedis } from "@/lib/redis";

const redis = createRedis(inject("redisUrl"), "request");
afterAll(() => redis.quit());

describe("sign-in rate limit", () => {
  it("allows 10 attempts per email in 15 minutes, then says how long to wait", async () => {
    const consume = createSignInLimiter(redis, `${inject("redisPrefix")}-${randomBytes(3).toString("hex")}`);
    for (let attempt = 0; attempt < 10; attempt += 1) expect(await consume("Victim@Example.test", null)).toBeNull();
    const wait = await consume("victim@example.test", null);
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // Another account is unaffected.
    expect(await consume("someone-else@example.test", null)).toBeNull();
  });

  it("also limits one client address across many emails", async () => {
    const consume = createSignInLimiter(redis, `${inject("redisPrefix")}-${randomBytes(3).toString("hex")}`);
    const results = [];
    for (let attempt = 0; attempt < 51; attempt += 1) results.push(await consume(`spray-${attempt}@example.test`, "203.0.113.9"));
    expect(results.slice(0, 50).every((result) => result === null)).toBe(true);
    expect(results[50]).toBeGreaterThan(0);
  });
});
