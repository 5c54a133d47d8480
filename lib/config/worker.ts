import { hostname } from "node:os";
import { z } from "zod";
import { parseEnv, type Env, ZLogLevel, ZPostgresUrl, ZRedisPrefix, ZRedisUrl } from "./parse-env";

/** Configuration of a GPU worker process (`workers/main.ts`). */
const ZWorkerConfig = z.object({
  DATABASE_URL: ZPostgresUrl,
  REDIS_URL: ZRedisUrl,
  REDIS_PREFIX: ZRedisPrefix,
  WORKER_ID: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/, { error: "may only hold letters, digits, '.', '_' and '-'" })
    .optional(),
  EXECUTION_PROVIDER: z.enum(["cpu", "cuda"], { error: "must be cpu or cuda" }).default("cpu"),
  /** GPU ordinal for the CUDA provider; one worker process per GPU. */
  DEVICE: z.coerce.number().int().min(0, { error: "must be a GPU index ≥ 0" }).default(0),
  MODELS_DIR: z.string().min(1).default("models"),
  STORAGE_DIR: z.string().min(1).default(".data/images"),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** How long SIGTERM waits for the running job before exiting anyway. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  /** BullMQ job lock: a worker that stops renewing it (crashed) loses the job after this long. */
  LOCK_DURATION_MS: z.coerce.number().int().min(500).max(600_000).default(120_000),
  /** How often workers look for jobs whose lock expired (stalled) and take them over. */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(30_000),
  LOG_LEVEL: ZLogLevel,
});

export type TWorkerConfig = z.infer<typeof ZWorkerConfig> & { workerId: string };

export function loadWorkerConfig(env: Env = process.env): TWorkerConfig {
  const parsed = parseEnv(ZWorkerConfig, env, "worker");
  const device = parsed.EXECUTION_PROVIDER === "cuda" ? `-gpu${parsed.DEVICE}` : "";
  return { ...parsed, workerId: parsed.WORKER_ID ?? `${hostname()}-${process.pid}${device}` };
}
