import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ChaosFaults } from "./chaos-faults";
import { FIXTURE_MODELS_DIR } from "./worker-process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A real worker process whose output is kept (for assertions and failure messages). */
export interface ChaosWorker {
  child: ChildProcess;
  id: string;
  output(): string;
  /** Resolves once the worker logged "worker ready" (rejects if it exits first). */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ChaosWorkerOptions {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  storageDir: string;
  workerId: string;
  faults?: ChaosFaults;
  env?: Record<string, string>;
}

/** Starts `workers/main.ts` with the fixture model and, optionally, injected faults. */
export function startChaosWorker(options: ChaosWorkerOptions): ChaosWorker {
  const preload = options.faults ? ["--import", "./tests/support/chaos-faults.ts"] : [];
  const child = spawn(process.execPath, ["--import", "tsx", ...preload, "workers/main.ts"], {
    cwd: ROOT,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.prefix,
      MODELS_DIR: FIXTURE_MODELS_DIR,
      STORAGE_DIR: options.storageDir,
      WORKER_ID: options.workerId,
      LOG_LEVEL: "info",
      ...(options.faults && { CHAOS_FAULTS: JSON.stringify(options.faults) }),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: Array<() => void> = [];
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter();
      resolve({ code, signal });
    });
  });
  return {
    child,
    id: options.workerId,
    output: () => output,
    exited,
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('"msg":"worker ready"')) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker ${options.workerId} exited before it was ready:\n${output}`);
        if (Date.now() > deadline) throw new Error(`worker ${options.workerId} not ready after ${timeoutMs} ms:\n${output}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    },
  };
}

/** Stops a worker (SIGTERM unless told otherwise) and waits for it to exit. */
export async function stopChaosWorker(worker: ChaosWorker, signal: NodeJS.Signals = "SIGTERM") {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  return worker.exited;
}
