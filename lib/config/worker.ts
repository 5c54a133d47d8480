import { hostname } from "node:os";
import { z } from "zod";
import { ConfigError, parseEnv, type Env, ZBooleanFlag, ZLogLevel, ZPostgresUrl, ZRedisPrefix, ZRedisUrl } from "./parse-env";
import { refineStorage, ZStorageFields } from "./storage";

/** Configuration of a GPU worker process (`workers/main.ts`). */
const ZWorkerConfig = z.object({
  DATABASE_URL: ZPostgresUrl,
  REDIS_URL: ZRedisUrl,
  REDIS_PREFIX: ZRedisPrefix,
  WORKER_ID: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]+$/, { error: "may only hold letters, digits, '.', '_' and '-'" })
    .optional(),
  EXECUTION_PROVIDER: z.enum(["cpu", "cuda"], { error: "must be cpu or cuda" }).default("cpu"),
  /** GPU ordinal for the CUDA provider (also `--device N`); one worker process per GPU. */
  DEVICE: z.coerce.number().int().min(0, { error: "must be a GPU index ≥ 0" }).optional(),
  MODELS_DIR: z.string().min(1).default("models"),
  /**
   * Comma-separated model folders this worker loads and takes jobs for;
   * unset means every model under MODELS_DIR.
   */
  WORKER_MODELS: z
    .string()
    .regex(/^[\w.-]+(,[\w.-]+)*$/, { error: "must be model folder names separated by commas, e.g. mirage-tiny,sd-turbo" })
    .transform((value) => [...new Set(value.split(","))])
    .optional(),
  ...ZStorageFields,
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** How long SIGTERM waits for the running job before exiting anyway. */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  /** BullMQ job lock: a worker that stops renewing it (crashed) loses the job after this long. */
  LOCK_DURATION_MS: z.coerce.number().int().min(500).max(600_000).default(120_000),
  /** How often workers look for jobs whose lock expired (stalled) and take them over. */
  STALLED_INTERVAL_MS: z.coerce.number().int().min(200).max(600_000).default(30_000),
  /** How often the cluster's sweeps run (re-enqueue, Relax aging, abandoned jobs, purge): once per interval across all workers. */
  MAINTENANCE_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(15_000),
  /** Live previews of running jobs (docs/live-previews.md); `0` turns them off on this worker. */
  LIVE_PREVIEWS: ZBooleanFlag.default(true),
  LOG_LEVEL: ZLogLevel,
}).superRefine(refineStorage);

export type TWorkerConfig = Omit<z.infer<typeof ZWorkerConfig>, "DEVICE"> & {
  workerId: string;
  /** GPU ordinal the runner uses (0 unless set). */
  DEVICE: number;
  /** What the heartbeat advertises: the GPU index of a CUDA worker, null on the CPU. */
  advertisedDevice: number | null;
};

/**
 * Command-line flags of `workers/main.ts` (they win over the environment):
 * `--device N` (or `--device=N`) picks the GPU, one process per GPU.
 */
export function workerArgsToEnv(argv: readonly string[]): Env {
  const env: Env = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === "--device" || arg.startsWith("--device=")) {
      const value = arg === "--device" ? argv[(index += 1)] : arg.slice("--device=".length);
      if (value === undefined || value === "") throw new ConfigError("Invalid worker arguments — --device needs a GPU index, e.g. --device 1.");
      env.DEVICE = value;
    } else {
      throw new ConfigError(`Invalid worker arguments — unknown argument ${JSON.stringify(arg)} (the worker takes --device N).`);
    }
  }
  return env;
}

export function loadWorkerConfig(env: Env = process.env, argv: readonly string[] = []): TWorkerConfig {
  const parsed = parseEnv(ZWorkerConfig, { ...env, ...workerArgsToEnv(argv) }, "worker");
  const advertisedDevice = parsed.EXECUTION_PROVIDER === "cuda" ? (parsed.DEVICE ?? 0) : null;
  const device = advertisedDevice === null ? "" : `-gpu${advertisedDevice}`;
  return { ...parsed, DEVICE: parsed.DEVICE ?? 0, advertisedDevice, workerId: parsed.WORKER_ID ?? `${hostname()}-${process.pid}${device}` };
}
