import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadLauncherConfig } from "@/lib/config/launcher";
import { ConfigError } from "@/lib/config/parse-env";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations, schemaSqlBetween, schemaSqlFromEmpty } from "@/lib/db/migrate";
import { AppError } from "@/lib/errors";
import { openServices } from "@/lib/launcher/services";
import { createLogger } from "@/lib/log";
import { seedPlans } from "@/lib/server/plans";
import { createApiToken } from "@/lib/server/tokens";
import { createUserWithPassword, listUsers } from "@/lib/server/users";

/**
 * Operator CLI: `npm run mirage -- <command> [options]`. Works against the
 * same database as `npm start` (DATABASE_URL, or the embedded one under
 * MIRAGE_HOME, reused if the studio is running).
 */

const USAGE = `Usage: npm run mirage -- <command> [options]

Commands:
  user:create --email E --password P [--admin] [--plan NAME]   create an account
  user:list                                                     list accounts
  token:create --email E [--name N]                             create an API token (printed once)
  db:migrate                                                    apply pending migrations
  db:schema-sql                                                 print the SQL of prisma/schema.prisma
  db:diff --from OLD_SCHEMA_FILE                                print the SQL from OLD_SCHEMA_FILE to schema.prisma (a new migration)`;

const ZUserCreate = z.object({
  email: z.email({ error: "--email must be an email address" }),
  password: z.string({ error: "--password is required" }).min(8, { error: "--password must be at least 8 characters" }).max(128),
  admin: z.boolean().default(false),
  plan: z.string().min(1).optional(),
});
const ZTokenCreate = z.object({
  email: z.email({ error: "--email must be an email address" }),
  name: z.string().min(1).max(60).default("cli"),
});

type Command = (db: Db, options: Record<string, unknown>, databaseUrl: string) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  "user:create": async (db, options) => {
    const input = ZUserCreate.parse(options);
    await seedPlans(db);
    const user = await createUserWithPassword(db, { email: input.email, password: input.password, role: input.admin ? "admin" : "user", plan: input.plan });
    console.log(`created ${input.admin ? "admin" : "user"} ${user.email} (${user.id})`);
  },
  "user:list": async (db) => {
    for (const user of await listUsers(db)) console.log([user.email, user.role, user.plan ?? "-", user.createdAt].join("\t"));
  },
  "token:create": async (db, options) => {
    const input = ZTokenCreate.parse(options);
    const user = await db.user.findUnique({ where: { email: input.email.toLowerCase() }, select: { id: true } });
    if (!user) throw new AppError("NOT_FOUND", `No user with email ${input.email}. Create one with user:create.`);
    console.log((await createApiToken(db, user.id, input.name)).token);
  },
  "db:migrate": async (_db, _options, databaseUrl) => {
    const applied = await applyMigrations(databaseUrl);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "database schema is up to date");
  },
  "db:schema-sql": async (_db, _options, databaseUrl) => {
    process.stdout.write(await schemaSqlFromEmpty(databaseUrl));
  },
  "db:diff": async (_db, options, databaseUrl) => {
    const from = z.string({ error: "--from must name the old schema.prisma file" }).parse(options.from);
    process.stdout.write(await schemaSqlBetween(databaseUrl, await readFile(from, "utf8")));
  },
};

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      admin: { type: "boolean" },
      plan: { type: "string" },
      name: { type: "string" },
      from: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const name = positionals[0];
  const command = name ? COMMANDS[name] : undefined;
  if (values.help || !command) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 64);
  }
  const config = loadLauncherConfig();
  const log = createLogger("cli", "warn");
  const services = await openServices(config, log, { needRedis: false, reuseRunning: true });
  const db = createDb(services.databaseUrl, { max: 2 });
  try {
    if (!name?.startsWith("db:")) await applyMigrations(services.databaseUrl);
    await command(db, values, services.databaseUrl);
  } finally {
    await db.$disconnect();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  if (error instanceof z.ZodError) console.error(`mirage: ${error.issues.map((issue) => issue.message).join("; ")}`);
  else if (error instanceof AppError || error instanceof ConfigError) console.error(`mirage: ${error.message}`);
  else console.error(`mirage: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
