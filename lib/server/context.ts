import type { Redis } from "ioredis";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { createSignInLimiter } from "@/lib/auth/sign-in-limiter";
import { getWebConfig, type TWebConfig } from "@/lib/config/web";
import { createDb, type Db } from "@/lib/db/client";
import { createLogger, type Logger } from "@/lib/log";
import { createRedis } from "@/lib/redis";

/**
 * Process-wide singletons of the web server. Kept on globalThis so Next's
 * module re-evaluation (dev reloads, separate route bundles) shares one pool.
 */
interface WebContext {
  config: TWebConfig;
  db: Db;
  redis: Redis;
  auth: Auth;
  log: Logger;
  consumeSignIn: ReturnType<typeof createSignInLimiter>;
}

const globalForMirage = globalThis as typeof globalThis & { __mirageWeb?: WebContext };

export function getWebContext(): WebContext {
  if (!globalForMirage.__mirageWeb) {
    const config = getWebConfig();
    const db = createDb(config.DATABASE_URL);
    const redis = createRedis(config.REDIS_URL, "request");
    globalForMirage.__mirageWeb = {
      config,
      db,
      redis,
      auth: createAuth({ db, baseURL: config.PUBLIC_URL, secret: config.AUTH_SECRET }),
      log: createLogger("web", config.LOG_LEVEL),
      consumeSignIn: createSignInLimiter(redis, config.REDIS_PREFIX),
    };
  }
  return globalForMirage.__mirageWeb;
}
