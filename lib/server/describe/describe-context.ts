import "server-only";
import { getWebContext } from "../context";
import { createPerUserLimiter } from "../rate-limit";
import type { DescribeContext } from "./describe-image";

/**
 * Describes a user may ask for per minute. Each one is a few milliseconds of
 * worker CPU (or one vision-model call) and is not charged, so the limit is
 * what keeps a script from crowding the model's queue.
 */
export const DESCRIBES_PER_MINUTE = 30;

const globalForDescribe = globalThis as typeof globalThis & { __mirageDescribeLimit?: (userId: string) => Promise<void> };

/** The web process's describe context: the job context, storage, the vision model and the limit. */
export function getDescribeContext(): DescribeContext {
  const web = getWebContext();
  globalForDescribe.__mirageDescribeLimit ??= createPerUserLimiter(web.redis, web.config.REDIS_PREFIX, { name: "describe", perMinute: DESCRIBES_PER_MINUTE, what: "describe requests" });
  return { ...web.jobs, storage: web.storage, llm: web.llm, limitDescribes: globalForDescribe.__mirageDescribeLimit };
}
