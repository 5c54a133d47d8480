import { Redis } from "ioredis";

/**
 * ioredis connections with BullMQ's rules: workers block on Redis and must
 * retry forever (`maxRetriesPerRequest: null`); request-serving code fails
 * fast when Redis is down (no offline queue) so the API can answer 503.
 */
export function createRedis(url: string, role: "worker" | "request"): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
  });
  // Without a listener ioredis reports every reconnect as an unhandled error.
  redis.on("error", () => undefined);
  return redis;
}

/**
 * Waits briefly for a fail-fast connection to be ready, so the first request
 * after start-up (or after a Redis restart) is not refused while the socket is
 * still connecting. Throws the usual "unavailable" error when Redis stays down.
 */
export async function whenRedisReady(redis: Redis, timeoutMs = 2_000): Promise<Redis> {
  if (redis.status === "ready") return redis;
  if (redis.status === "end" || redis.status === "close") void redis.connect().catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      reject(new Error("Connection is closed: Redis is not reachable"));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once("ready", onReady);
  });
  return redis;
}
