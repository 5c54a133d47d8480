import { hostname } from "node:os";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLauncherConfig } from "@/lib/config/launcher";
import { ConfigError } from "@/lib/config/parse-env";
import { createDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createRedis } from "@/lib/redis";
import { seedPersonalizationPool } from "@/lib/server/personalization/pool";
import { seedStudio } from "@/lib/server/seed";
import { isPortInUse, waitForPort } from "@/lib/services/port";
import { ensureProductionBuild } from "./build";
import { superviseProcess, type ManagedProcess } from "./processes";
import { openServices } from "./services";

/**
 * `npm start`: the whole studio from one command — Postgres and Redis
 * (given or embedded), migrations, seed, production build, web server and
 * worker(s). Ctrl-C stops everything in reverse order.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function main() {
  const config = loadLauncherConfig();
  const log = createLogger("launcher", config.LOG_LEVEL);
  if (await isPortInUse(config.PORT)) {
    throw new ConfigError(`Port ${config.PORT} is already taken. Stop whatever uses it, or start on another port: PORT=3001 npm start`);
  }

  const services = await openServices(config, log, { needRedis: true, reuseRunning: false });
  const children: ManagedProcess[] = [];
  let shuttingDown = false;
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ reason }, "stopping Mirage");
    await Promise.all(children.map((child) => child.stop(65_000)));
    await services.stop();
    log.info("stopped");
    process.exit(exitCode);
  };
  process.once("SIGINT", () => void shutdown("SIGINT", 0));
  process.once("SIGTERM", () => void shutdown("SIGTERM", 0));

  try {
    const applied = await applyMigrations(services.databaseUrl);
    log.info({ applied }, applied.length ? "migrations applied" : "database schema is up to date");
    const db = createDb(services.databaseUrl, { max: 2 });
    const seeded = await seedStudio(db, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
    if (services.redisUrl && existsSync(path.join(path.resolve(ROOT, config.MODELS_DIR), config.DEFAULT_MODEL, "model_index.json"))) {
      // The default model's personalization ranking pool, rendered by the first worker when missing.
      const redis = createRedis(services.redisUrl, "worker");
      const queues = createGpuQueues(redis, config.REDIS_PREFIX);
      await seedPersonalizationPool(db, queues, config.DEFAULT_MODEL)
        .then((queued) => queued && log.info({ model: config.DEFAULT_MODEL }, "personalization ranking pool queued"))
        .catch((error: unknown) => log.warn({ err: error }, "could not queue the personalization ranking pool"));
      await queues.close();
      await redis.quit();
    }
    await db.$disconnect();
    if (seeded.generatedAdmin) {
      // Printed once, on the run that created it; it is not stored anywhere in clear.
      console.log(
        `\n  Admin account created:\n    email:    ${seeded.generatedAdmin.email}\n    password: ${seeded.generatedAdmin.password}\n  Keep it safe; it will not be shown again.\n`,
      );
    } else if (seeded.createdAdmin) {
      log.info({ email: seeded.createdAdmin }, "admin account created from ADMIN_EMAIL/ADMIN_PASSWORD");
    }
    await ensureProductionBuild(ROOT, log);
  } catch (error) {
    log.error({ err: error }, "start-up failed");
    await shutdown("start-up failed", 1);
    return;
  }

  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const shared = {
    ...process.env,
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl ?? "",
    REDIS_PREFIX: config.REDIS_PREFIX,
    STORAGE_DIR: path.join(services.home, "images"),
    MODELS_DIR: path.resolve(ROOT, config.MODELS_DIR),
    LOG_LEVEL: config.LOG_LEVEL,
  };
  const giveUp = (reason: string) => void shutdown(reason, 1);
  children.push(
    superviseProcess({
      name: "web",
      cwd: ROOT,
      log,
      onGiveUp: giveUp,
      // Next.js behind our HTTP server: it stamps socket addresses for the sign-in limits.
      args: ["--import", "tsx", path.join(ROOT, "lib/launcher/web-server.ts"), "--port", String(config.PORT)],
      env: {
        ...shared,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PUBLIC_URL: publicUrl,
        AUTH_SECRET: config.AUTH_SECRET ?? services.secrets.authSecret,
        TRUST_PROXY: config.TRUST_PROXY ? "1" : "0",
        DEFAULT_MODEL: config.DEFAULT_MODEL,
      },
    }),
  );
  for (let index = 0; index < config.WORKERS; index += 1) {
    children.push(
      superviseProcess({
        name: `worker-${index}`,
        cwd: ROOT,
        log,
        onGiveUp: giveUp,
        args: ["--import", "tsx", path.join(ROOT, "workers/main.ts")],
        // A stable identity across restarts: a worker restarted after a crash recognises its
        // predecessor's orphaned job and retries it at once (workers/recover-predecessor.ts).
        env: { ...shared, EXECUTION_PROVIDER: config.EXECUTION_PROVIDER, DEVICE: String(index), WORKER_ID: `${hostname()}-worker-${index}` },
      }),
    );
  }
  if (await waitForPort(config.PORT, 60_000)) {
    log.info({ url: publicUrl }, `Mirage is ready on ${publicUrl}`);
  } else {
    await shutdown(`the web server did not listen on port ${config.PORT} within 60 s`, 1);
  }
}

main().catch((error: unknown) => {
  // Configuration and environment problems get one clear line, not a stack.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`mirage: ${message}`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
