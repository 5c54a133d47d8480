/**
 * Runs the engine in a worker thread so inference (which blocks whatever
 * thread calls onnxruntime) never stalls the caller's event loop — BullMQ's
 * lock renewal keeps working through a two-minute job. Progress and
 * cancellation cross the thread boundary as messages.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

import type { GenerationResult } from "../pipelines/generate";
import type { TGenerationRequestInput } from "../pipelines/request";
import type { RunHooks } from "../pipelines/types";
import { deserializeError, type FromWorker, type ModelInfo, type ToWorker, type WorkerLoadOptions } from "./protocol";

export interface RunnerOptions extends WorkerLoadOptions {
  /** CUDA fallback and similar notices. @defaultValue process.emitWarning */
  onWarning?: (message: string) => void;
  /** How long `close` waits for the worker to release its sessions. @defaultValue 10 000 */
  closeTimeoutMs?: number;
}

export interface DiffusionRunner {
  generate(modelDir: string, request: TGenerationRequestInput, hooks?: RunHooks): Promise<GenerationResult>;
  /** Loads (and warms) a model ahead of its first job. */
  preload(modelDir: string): Promise<ModelInfo>;
  close(): Promise<void>;
}

/**
 * The inference worker beside this module. Running from TypeScript sources
 * (dev, tests, `node --import tsx`), the thread first registers tsx's loader:
 * loader flags in `execArgv` do not reach worker threads on Node 20.
 */
function workerFor(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith(".ts")) return new Worker(new URL("./inference-worker.js", moduleUrl), { workerData });
  // require.resolve finds the CommonJS build; its ESM twin sits beside it.
  const tsxApi = pathToFileURL(createRequire(moduleUrl).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./inference-worker.ts", moduleUrl).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onProgress?: RunHooks["onProgress"];
}

export function createDiffusionRunner(options: RunnerOptions = {}): DiffusionRunner {
  return new WorkerThreadRunner(options);
}

class WorkerThreadRunner implements DiffusionRunner {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RunnerOptions) {}

  generate(modelDir: string, request: TGenerationRequestInput, hooks: RunHooks = {}): Promise<GenerationResult> {
    return this.call<GenerationResult>((id) => ({ type: "generate", id, modelDir, request }), hooks);
  }

  preload(modelDir: string): Promise<ModelInfo> {
    return this.call<ModelInfo>((id) => ({ type: "preload", id, modelDir }), {});
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private call<T>(build: (id: number) => ToWorker, hooks: RunHooks): Promise<T> {
    if (this.closing) return Promise.reject(new Error("the diffusion runner is closed"));
    const { signal } = hooks;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason ?? "aborted"));
        worker.postMessage({ type: "cancel", id, reason: reason.message } satisfies ToWorker);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const settle = () => signal?.removeEventListener("abort", onAbort);
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value);
        },
        reject: (error) => {
          settle();
          // The caller's own abort reason is more useful than the worker's copy of it.
          reject(signal?.aborted && signal.reason instanceof Error ? signal.reason : error);
        },
        ...(hooks.onProgress && { onProgress: hooks.onProgress }),
      });
      worker.postMessage(build(id));
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const { onWarning: _onWarning, closeTimeoutMs: _closeTimeoutMs, ...loadOptions } = this.options;
    const worker = workerFor(import.meta.url, { loadOptions });
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code) => {
      this.worker = undefined;
      if (this.pending.size > 0) this.failAll(new Error(`diffusion worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case "progress":
        this.pending.get(message.id)?.onProgress?.(message.progress);
        return;
      case "result":
        this.take(message.id)?.resolve(message.result as never);
        return;
      case "loaded":
        this.take(message.id)?.resolve(message.info as never);
        return;
      case "error":
        this.take(message.id)?.reject(deserializeError(message.error));
        return;
      case "warning":
        (this.options.onWarning ?? ((m: string) => process.emitWarning(m, "DiffusionWarning")))(message.message);
        return;
      case "closed":
        return;
      default:
        message satisfies never;
    }
  }

  private take(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    this.pending.delete(id);
    return entry;
  }

  private failAll(error: Error): void {
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.reject(error);
    }
  }

  private async shutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ type: "shutdown" } satisfies ToWorker);
    const timeout = setTimeout(() => void worker.terminate(), this.options.closeTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timeout);
  }
}
