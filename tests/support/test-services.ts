import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createLogger } from "@/lib/log";
import { startEmbeddedPostgres } from "@/lib/services/embedded-postgres";
import { startRedisServer } from "@/lib/services/redis-server";
import { applyMigrations } from "@/lib/db/migrate";

/**
 * Real Postgres and Redis for integration tests, isolated per run: a fresh
 * database (on TEST_DATABASE_URL's server, or an embedded one) and a random
 * Redis key prefix (on TEST_REDIS_URL, or a throwaway redis-server).
 */
export interface TestServices {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  stop(): Promise<void>;
}

function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

export async function startTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  const log = createLogger("test-services", "warn");
  const stops: Array<() => Promise<void>> = [];
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const home = await mkdtemp(path.join(env.TEST_TMPDIR ?? tmpdir(), "mirage-it-"));
  stops.push(() => rm(home, { recursive: true, force: true }));

  let serverUrl = env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const password = randomBytes(12).toString("hex");
    const postgres = await startEmbeddedPostgres({ home, port: randomPort(), password, log });
    stops.push(() => postgres.stop());
    serverUrl = postgres.url("postgres");
  }
  const database = `mirage_test_${runId}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${database}`;
  stops.push(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  });
  await applyMigrations(databaseUrl.toString());

  let redisUrl = env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedisServer({ home, port: randomPort(), log });
    stops.push(() => redis.stop());
    redisUrl = redis.url;
  }

  return {
    databaseUrl: databaseUrl.toString(),
    redisUrl,
    redisPrefix: `mirage-test-${runId}`,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
