import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { clientAddress, CLIENT_ADDRESS_HEADER, UNKNOWN_ADDRESS } from "@/lib/auth/client-address";
import { createSignInLimiter, SIGN_IN_LIMITS } from "@/lib/auth/sign-in-limiter";
import { createRedis } from "@/lib/redis";

const redis = createRedis(inject("redisUrl"), "request");
afterAll(() => redis.quit());

const freshLimiter = () => createSignInLimiter(redis, `${inject("redisPrefix")}-${randomBytes(3).toString("hex")}`);

describe("sign-in rate limit", () => {
  it("locks one (email, address) pair after 10 attempts, but not the account's owner elsewhere", async () => {
    const consume = freshLimiter();
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perEmailAndAddress; attempt += 1) expect(await consume("Victim@Example.test", "198.51.100.7")).toBeNull();
    const wait = await consume("victim@example.test", "198.51.100.7");
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    // The owner, from their own address, is not locked out by someone else's failures.
    expect(await consume("victim@example.test", "203.0.113.50")).toBeNull();
    // Another account from the attacker's address is unaffected by the pair lock.
    expect(await consume("someone-else@example.test", "198.51.100.7")).toBeNull();
  });

  it("limits one client address across many emails", async () => {
    const consume = freshLimiter();
    const results = [];
    for (let attempt = 0; attempt < 55; attempt += 1) results.push(await consume(`spray-${attempt}@example.test`, "203.0.113.9"));
    expect(results.slice(0, SIGN_IN_LIMITS.perAddress).every((result) => result === null)).toBe(true);
    expect(results[SIGN_IN_LIMITS.perAddress]).toBeGreaterThan(60);
  });

  it("slows (does not lock) an account guessed at from many addresses", async () => {
    const consume = freshLimiter();
    for (let attempt = 0; attempt < SIGN_IN_LIMITS.perEmailBurst; attempt += 1) expect(await consume("target@example.test", `192.0.2.${attempt}`)).toBeNull();
    // Past the burst: one attempt per slowdown interval, and the wait is seconds, not minutes.
    expect(await consume("target@example.test", "192.0.2.200")).toBeNull();
    const wait = await consume("target@example.test", "192.0.2.201");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(SIGN_IN_LIMITS.slowdownSeconds);
  });
});

describe("client address for limits", () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it("uses the socket address stamped by the server, ignoring X-Forwarded-For unless a proxy is trusted", () => {
    const forged = headers({ [CLIENT_ADDRESS_HEADER]: "198.51.100.7", "x-forwarded-for": "10.9.9.9" });
    expect(clientAddress(forged, { trustProxy: false })).toBe("198.51.100.7");
  });

  it("behind a trusted proxy, uses the rightmost X-Forwarded-For entry (the one the proxy appended)", () => {
    const proxied = headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1.2.3.4, 203.0.113.9" });
    expect(clientAddress(proxied, { trustProxy: true })).toBe("203.0.113.9");
    expect(clientAddress(headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2" }), { trustProxy: true })).toBe("10.0.0.2");
  });

  it("puts callers without a stamped address in one shared bucket rather than none", () => {
    expect(clientAddress(headers({ "x-forwarded-for": "1.2.3.4" }), { trustProxy: false })).toBe(UNKNOWN_ADDRESS);
  });
});
