import { z } from "zod";

/** A start-up configuration problem, phrased so an operator can fix it. */
/** The variables a process was started with (`process.env`, or a test's own). */
export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Validates `env` against `schema` and returns the typed result. Each process
 * kind (web, worker, launcher, CLI) calls this once from its own config module;
 * nothing else in the code base reads `process.env`.
 *
 * Empty strings count as unset, so `FOO=` in a shell behaves like no FOO.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Env,
  processKind: string,
): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join(".") || "(environment)";
    return `${variable}: ${issue.message}`;
  });
  throw new ConfigError(
    `Invalid ${processKind} configuration — ${problems.join("; ")}. Fix the variable(s) named and start again (see README, "Configuration").`,
  );
}

// Shared field schemas, so every process kind spells a variable the same way.

export const ZPostgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" });

export const ZRedisUrl = z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" });

export const ZPort = z.coerce
  .number({ error: "must be a number" })
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be between 1 and 65535" })
  .max(65535, { error: "must be between 1 and 65535" });

export const ZLogLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");

/** Key prefix for everything Mirage keeps in Redis; tests use their own. */
export const ZRedisPrefix = z
  .string()
  .regex(/^[a-zA-Z0-9_-]+$/, { error: "may only hold letters, digits, '_' and '-'" })
  .default("mirage");

export const ZBooleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no"], { error: "must be 1/0, true/false or yes/no" })
  .transform((value) => value === "1" || value === "true" || value === "yes");
