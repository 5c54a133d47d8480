import type { Redis } from "ioredis";
import { oidcSettings } from "@/lib/config/oidc";
import { createAuth, type Auth } from "@/lib/auth/auth";
import type { TLlmConfig } from "@/lib/draft";
import { createSignInLimiter } from "@/lib/auth/sign-in-limiter";
import { getWebConfig, type TWebConfig } from "@/lib/config/web";
import { createDb, type Db } from "@/lib/db/client";
import { createLogger, type Logger } from "@/lib/log";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createImageStore, type ObjectStore } from "@/lib/storage";
import { createRedis } from "@/lib/redis";
import type { JobContext } from "./jobs/context";
import { createJobEvents, type JobEvents } from "./jobs/job-events";
import { createSubmitLimiter } from "./jobs/submit-limiter";
import { createPerUserLimiter } from "./rate-limit";
import { UPLOAD_LIMITS } from "@/lib/uploads/limits";
import { accountDeletionProblem, prepareAccountDeletion, removeAccountFiles } from "./account-deletion";

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
  jobs: JobContext;
  jobEvents: JobEvents;
  /** Where image files are (STORAGE_DRIVER: a local folder or an S3 bucket). */
  storage: ObjectStore;
  /** Per-user limit on image uploads (each one is decoded and re-encoded). */
  limitUploads: (userId: string) => Promise<void>;
  /** Draft mode's optional LLM rewriter. */
  llm: TLlmConfig | null;
}

const globalForMirage = globalThis as typeof globalThis & { __mirageWeb?: WebContext };

export function getWebContext(): WebContext {
  if (!globalForMirage.__mirageWeb) {
    const config = getWebConfig();
    const db = createDb(config.DATABASE_URL);
    const redis = createRedis(config.REDIS_URL, "request");
    const log = createLogger("web", config.LOG_LEVEL);
    globalForMirage.__mirageWeb = {
      config,
      db,
      redis,
      auth: createAuth({
        db,
        baseURL: config.PUBLIC_URL,
        secret: config.AUTH_SECRET,
        oidc: oidcSettings(config),
        passwordSignIn: config.PASSWORD_SIGNIN === "on",
        accountDeletion: {
          problem: (userId) => accountDeletionProblem(db, userId),
          prepare: (userId) => prepareAccountDeletion(db, userId),
          removeFiles: (userId) => removeAccountFiles(getWebContext().storage, userId),
        },
      }),
      log,
      consumeSignIn: createSignInLimiter(redis, config.REDIS_PREFIX),
      jobs: {
        db,
        queue: createGpuQueues(redis, config.REDIS_PREFIX),
        modelsDir: config.MODELS_DIR,
        defaultModelId: config.DEFAULT_MODEL,
        log,
        redis,
        redisPrefix: config.REDIS_PREFIX,
        limitSubmissions: createSubmitLimiter(redis, config.REDIS_PREFIX),
      },
      // One QueueEvents per process (it holds a blocking connection); SSE streams share it.
      jobEvents: createJobEvents(createRedis(config.REDIS_URL, "worker"), config.REDIS_PREFIX, log),
      storage: createImageStore(config),
      limitUploads: createPerUserLimiter(redis, config.REDIS_PREFIX, { name: "upload", perMinute: UPLOAD_LIMITS.perMinute, what: "uploads" }),
      llm: config.LLM_BASE_URL && config.LLM_MODEL
        ? { baseUrl: config.LLM_BASE_URL, model: config.LLM_MODEL, apiKey: config.LLM_API_KEY, timeoutMs: config.LLM_TIMEOUT_MS }
        : null,
    };
  }
  return globalForMirage.__mirageWeb;
}
