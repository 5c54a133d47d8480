import { z } from "zod";
import { parseEnv, ZLogLevel, ZPostgresUrl, ZRedisPrefix, ZRedisUrl, ZBooleanFlag } from "./parse-env";
import { refineStorage, ZStorageFields } from "./storage";
import { refineOidc, ZOidcFields } from "./oidc";

/**
 * Configuration of the web process (Next.js server). `npm start` fills these
 * in for the processes it launches; a production deployment sets them itself.
 */
const ZWebConfig = z.object({
  DATABASE_URL: ZPostgresUrl,
  REDIS_URL: ZRedisUrl,
  REDIS_PREFIX: ZRedisPrefix,
  PUBLIC_URL: z.url({ error: "must be the studio's public URL, e.g. http://localhost:3000" }),
  AUTH_SECRET: z.string().min(32, { error: "must be at least 32 characters (e.g. `openssl rand -hex 32`)" }),
  ...ZStorageFields,
  MODELS_DIR: z.string().min(1).default("models"),
  /** Model new prompts use: a folder name under MODELS_DIR. */
  DEFAULT_MODEL: z.string().regex(/^[\w.-]+$/, { error: "must be a folder name under MODELS_DIR" }).default("mirage-tiny"),
  /** Trust X-Forwarded-For for client addresses; only behind your own proxy. */
  TRUST_PROXY: ZBooleanFlag.default(false),
  /** Optional OpenAI-compatible chat endpoint that rewrites Draft follow-ups (rules are the fallback). */
  LLM_BASE_URL: z.url({ error: "must be the endpoint's base URL, e.g. http://localhost:8080/v1" }).optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  /** Bearer token a Prometheus scraper sends to GET /metrics; unset, /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, { error: "must be at least 16 characters (e.g. `openssl rand -hex 32`)" }).optional(),
  /** Single sign-on and the password switch (docs/single-sign-on.md). */
  ...ZOidcFields,
  LOG_LEVEL: ZLogLevel,
}).superRefine(refineStorage).superRefine(refineOidc);

export type TWebConfig = z.infer<typeof ZWebConfig>;

let cached: TWebConfig | undefined;

/** Parsed lazily: `next build` evaluates modules without runtime variables. */
export function getWebConfig(): TWebConfig {
  cached ??= parseEnv(ZWebConfig, process.env, "web");
  return cached;
}
