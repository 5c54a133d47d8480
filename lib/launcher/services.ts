import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { TLauncherConfig } from "@/lib/config/launcher";
import type { Logger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { isPortInUse } from "@/lib/services/port";
import { startRedisServer } from "@/lib/services/redis-server";
import { loadOrCreateSecrets, type TSecrets } from "@/lib/services/secrets";

const DATABASE_NAME = "mirage";

export interface Services {
  home: string;
  secrets: TSecrets;
  databaseUrl: string;
  redisUrl: string | null;
  stop(): Promise<void>;
}

/**
 * Resolves Postgres and Redis the same way for `npm start` and the CLI: the
 * configured URLs, or else the embedded services under MIRAGE_HOME. With
 * `reuseRunning` (the CLI), an embedded server that a running studio already
 * started is used as it is instead of being started again.
 */
export async function openServices(
  config: TLauncherConfig,
  log: Logger,
  options: { needRedis: boolean; reuseRunning: boolean },
): Promise<Services> {
  const home = path.resolve(config.MIRAGE_HOME);
  await mkdir(home, { recursive: true });
  const secrets = await loadOrCreateSecrets(home);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error: unknown) => log.warn({ err: error }, "stop failed"));
  };

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const port = config.EMBEDDED_POSTGRES_PORT;
      const embeddedUrl = `postgresql://mirage:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${port}/${DATABASE_NAME}`;
      if (options.reuseRunning && (await isPortInUse(port))) {
        databaseUrl = embeddedUrl;
      } else {
        const postgres = await startEmbeddedPostgres({ home, port, password: secrets.postgresPassword, log });
        stops.push(() => postgres.stop());
        await postgres.ensureDatabase(DATABASE_NAME);
        databaseUrl = postgres.url(DATABASE_NAME);
        log.info({ port, dataDir: path.join(home, "postgres") }, "embedded Postgres running");
      }
    }

    let redisUrl: string | null = config.REDIS_URL ?? null;
    if (options.needRedis && !redisUrl) {
      const redis = await startRedisServer({ home, port: config.EMBEDDED_REDIS_PORT, binary: config.REDIS_SERVER_BIN, log });
      stops.push(() => redis.stop());
      redisUrl = redis.url;
      log.info({ port: config.EMBEDDED_REDIS_PORT, dataDir: path.join(home, "redis") }, "local Redis running (AOF, noeviction)");
    }
    if (options.needRedis && redisUrl) await assertNoEviction(redisUrl);
    return { home, secrets, databaseUrl, redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** BullMQ silently loses jobs when Redis may evict keys, so refuse to run on such a Redis. */
async function assertNoEviction(redisUrl: string): Promise<void> {
  // The queue-style connection waits for Redis to come up instead of failing at once.
  const redis = createRedis(redisUrl, "worker");
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Cannot reach Redis at ${redactUrl(redisUrl)} within 10 s. Start it, or fix REDIS_URL.`)), 10_000).unref(),
  );
  try {
    const reply = (await Promise.race([redis.config("GET", "maxmemory-policy"), timeout])) as string[];
    const policy = reply[1];
    if (policy && policy !== "noeviction") {
      throw new Error(
        `Redis at ${redactUrl(redisUrl)} has maxmemory-policy "${policy}"; the job queue needs "noeviction" (run \`CONFIG SET maxmemory-policy noeviction\` or set it in redis.conf).`,
      );
    }
  } finally {
    redis.disconnect();
  }
}

export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
