import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/services/embedded-postgres";
import { createApiToken } from "@/lib/server/tokens";
import { seedUser } from "./db";

/**
 * A Postgres of the test file's own (embedded, migrated, one user with an API
 * token), for scenarios that stop and restart the database: the shared test
 * database is never touched. `db` is replaced by a fresh client on restart,
 * so read it through the object, not from a copy.
 */
export class OwnPostgres {
  private constructor(
    private handle: EmbeddedPostgresHandle,
    readonly home: string,
    private readonly port: number,
    private readonly password: string,
    readonly databaseUrl: string,
    public db: Db,
    readonly userId: string,
    readonly token: string,
  ) {}

  static async start(name: string): Promise<OwnPostgres> {
    const home = await mkdtemp(path.join(tmpdir(), `mirage-pg-${name}-`));
    const password = randomBytes(12).toString("hex");
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const handle = await startEmbeddedPostgres({ home, port, password, log: createLogger("test", "silent") });
    await handle.ensureDatabase("mirage");
    const databaseUrl = handle.url("mirage");
    await applyMigrations(databaseUrl);
    const db = createDb(databaseUrl, { max: 4 });
    const user = await seedUser(db);
    const { token } = await createApiToken(db, user.id, "chaos");
    return new OwnPostgres(handle, home, port, password, databaseUrl, db, user.id, token);
  }

  /** Stops the server (fast shutdown): connections in use fail from here on. */
  async stop(): Promise<void> {
    await this.handle.stop();
  }

  /** Starts it again on the same port and data, and gives `db` a fresh client. */
  async restart(): Promise<void> {
    this.handle = await startEmbeddedPostgres({ home: this.home, port: this.port, password: this.password, log: createLogger("test", "silent") });
    await this.db.$disconnect();
    this.db = createDb(this.databaseUrl, { max: 4 });
  }

  async close(): Promise<void> {
    await this.db.$disconnect();
    await this.handle.stop();
    await rm(this.home, { recursive: true, force: true });
  }
}
