import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine as SchemaEngineClass } from "@prisma/schema-engine-wasm";

/**
 * Prisma migrations through Prisma's own schema engine compiled to
 * WebAssembly: the native engine cannot be downloaded offline, but the wasm
 * build ships on npm. The migrations folder keeps Prisma's format, so
 * `prisma migrate deploy` works unchanged where the native engine exists.
 * Needs `node --experimental-wasm-modules` on Node 20.
 */

const PRISMA_DIR = path.resolve(import.meta.dirname, "../../prisma");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const NO_FILTERS = { externalTables: [], externalEnums: [] };

type SchemaEngine = Awaited<ReturnType<typeof SchemaEngineClass.new>>;

async function withEngine<T>(databaseUrl: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await import("@prisma/schema-engine-wasm");
  const schema = await readFile(SCHEMA_PATH, "utf8");
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl }));
  const engineLog: string[] = [];
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    (message: string) => engineLog.push(message),
    adapter,
  );
  return work(engine);
}

async function loadMigrationsList() {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const directories = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: { tag: "ok" as const, value: await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
        },
      })),
    ),
  };
}

/** Applies pending migrations; returns the names applied (none on a second run). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await loadMigrationsList();
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that creates the current schema.prisma from an empty database.
 * `npm run mirage -- db:schema-sql` prints it; a test compares it with the
 * migrations so a schema edit without a migration fails CI. (Diffing against
 * the migrations folder itself needs a shadow database, which the wasm engine
 * cannot describe on every Postgres version.)
 */
export async function schemaSqlFromEmpty(databaseUrl: string): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}

/**
 * The SQL that takes one schema.prisma to another, without a database: how a
 * new migration is written (`npm run mirage -- db:diff --from <old schema>`).
 */
export async function schemaSqlBetween(databaseUrl: string, fromSchema: string): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.diff({
      from: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: fromSchema }] },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? "";
  });
}
