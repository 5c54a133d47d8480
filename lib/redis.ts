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
