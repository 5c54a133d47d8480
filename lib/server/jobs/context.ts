import type { Redis } from "ioredis";
import type { Db } from "@/lib/db/client";
import type { TJobSource } from "@/lib/jobs/model";
import type { GpuQueues } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

/** What job use cases need; the web process and tests each build one. */
export interface JobContext {
  db: Db;
  /** The per-model GPU queues. */
  queue: GpuQueues;
  /** The fail-fast connection the queue uses (to check readiness, publish cancels). */
  redis: Redis;
  redisPrefix: string;
  modelsDir: string;
  defaultModelId: string;
  log: Logger;
  /** Per-user submission rate limit (throws RATE_LIMITED); the web server sets it, tests of the service functions need not. */
  limitSubmissions?: (userId: string) => Promise<void>;
  /** Which door the jobs came in by (default "web"); each outside protocol passes its own. */
  source?: TJobSource;
}
