import { z } from "zod";
import { parseEnv, type Env, ZBooleanFlag, ZLogLevel, ZPort, ZPostgresUrl, ZRedisPrefix, ZRedisUrl } from "./parse-env";

/**
 * Configuration of `npm start` and of the operator CLI. Both resolve the same
 * database and Redis: the given URLs, or else the embedded services whose data
 * lives under MIRAGE_HOME.
 */
const ZLauncherConfig = z.object({
  PORT: ZPort.default(3000),
  DATABASE_URL: ZPostgresUrl.optional(),
  REDIS_URL: ZRedisUrl.optional(),
  REDIS_PREFIX: ZRedisPrefix,
  /** Where embedded Postgres, Redis, image files and generated secrets live. */
  MIRAGE_HOME: z.string().min(1).default(".data"),
  EMBEDDED_POSTGRES_PORT: ZPort.default(54329),
  EMBEDDED_REDIS_PORT: ZPort.default(63799),
  /** redis-server binary for the local Redis; found on PATH when unset. */
  REDIS_SERVER_BIN: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ error: "must be the studio's public URL, e.g. http://localhost:3000" }).optional(),
  AUTH_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  ADMIN_EMAIL: z.email({ error: "must be an email address" }).optional(),
  ADMIN_PASSWORD: z.string().min(8, { error: "must be at least 8 characters" }).max(128).optional(),
  MODELS_DIR: z.string().min(1).default("models"),
  DEFAULT_MODEL: z.string().regex(/^[\w.-]+$/, { error: "must be a folder name under models/" }).default("mirage-tiny"),
  WORKERS: z.coerce.number().int().min(0, { error: "must be 0 or more" }).max(16).default(1),
  EXECUTION_PROVIDER: z.enum(["cpu", "cuda"], { error: "must be cpu or cuda" }).default("cpu"),
  TRUST_PROXY: ZBooleanFlag.default(false),
  LOG_LEVEL: ZLogLevel,
});

export type TLauncherConfig = z.infer<typeof ZLauncherConfig>;

export function loadLauncherConfig(env: Env = process.env): TLauncherConfig {
  return parseEnv(ZLauncherConfig, env, "launcher");
}
