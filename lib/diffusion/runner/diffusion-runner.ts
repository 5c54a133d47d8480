/**
 * Runs the engine in a child process so inference (which blocks whatever
 * thread calls onnxruntime) never stalls the caller's event loop — BullMQ's
 * lock renewal keeps working through a two-minute job — and so a native
 * failure inside onnxruntime (or the OS killing the inference process for
 * memory) fails only the job in hand: the caller sees the exit as an error,
 * and the next call starts a fresh process. A worker thread cannot give that:
 * terminating a thread while onnxruntime-node is inside a run aborts the whole
 * process. Progress and cancellation cross the process boundary as IPC
 * messages (V8 serialization, so image buffers travel as typed arrays).
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

import type { GenerationResult } from "../pipelines/generate";
import type { TGenerationRequestInput } from "../pipelines/request";
import type { RunHooks } from "../pipelines/types";
import { deserializeError, type FromWorker, type LatentPreview, type ModelInfo, type ToWorker, type WorkerLoadOptions } from "./protocol";

/** What a caller of the runner may hook: progress, cancellation and, when the runner was created with `previews`, live previews. */
export interface RunnerHooks extends Omit<RunHooks, "onDenoised"> {
  onPreview?: (preview: LatentPreview) => void;
}

export interface RunnerOptions extends WorkerLoadOptions {
  /** CUDA fallback and similar notices. @defaultValue process.emitWarning */
  onWarning?: (message: string) => void;
  /** How long `close` waits for the worker to release its sessions. @defaultValue 10 000 */
  closeTimeoutMs?: number;
}

export interface DiffusionRunner {
  generate(modelDir: string, request: TGenerationRequestInput, hooks?: RunnerHooks): Promise<GenerationResult>;
  /** Loads (and warms) a model ahead of its first job. */
  preload(modelDir: string): Promise<ModelInfo>;
  close(): Promise<void>;
}

/**
 * Forks the inference process beside this module. Running from TypeScript
 * sources (dev, tests, `node --import tsx`), the child registers tsx's loader
 * itself; it inherits no exec flags (an inspector port or a test preload of
 * the parent would be wrong there).
 */
function forkInference(moduleUrl: string, loadOptions: WorkerLoadOptions): ChildProcess {
  const fromSources = moduleUrl.endsWith(".ts");
  const entry = fileURLToPath(new URL(fromSources ? "./inference-worker.ts" : "./inference-worker.js", moduleUrl));
  const execArgv = fromSources ? ["--import", pathToFileURL(createRequire(moduleUrl).resolve("tsx")).href] : [];
  return fork(entry, [], {
    execArgv,
    serialization: "advanced",
    env: { ...process.env, MIRAGE_INFERENCE_OPTIONS: JSON.stringify(loadOptions) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onProgress?: RunHooks["onProgress"];
  onPreview?: RunnerHooks["onPreview"];
}

export function createDiffusionRunner(options: RunnerOptions = {}): DiffusionRunner {
  return new ChildProcessRunner(options);
}

class ChildProcessRunner implements DiffusionRunner {
  private worker: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RunnerOptions) {}

  generate(modelDir: string, request: TGenerationRequestInput, hooks: RunnerHooks = {}): Promise<GenerationResult> {
    const previews = Boolean(this.options.previews && hooks.onPreview);
    return this.call<GenerationResult>((id) => ({ type: "generate", id, modelDir, request, ...(previews && { previews }) }), hooks);
  }

  preload(modelDir: string): Promise<ModelInfo> {
    return this.call<ModelInfo>((id) => ({ type: "preload", id, modelDir }), {});
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private call<T>(build: (id: number) => ToWorker, hooks: RunnerHooks): Promise<T> {
    if (this.closing) return Promise.reject(new Error("the diffusion runner is closed"));
    const { signal } = hooks;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const reason = signal?.reason instanceof Error ? signal.reason : new Error(String(signal?.reason ?? "aborted"));
        send(worker, { type: "cancel", id, reason: reason.message });
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
        ...(hooks.onPreview && { onPreview: hooks.onPreview }),
      });
      send(worker, build(id));
    });
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    const { onWarning: _onWarning, closeTimeoutMs: _closeTimeoutMs, ...loadOptions } = this.options;
    const worker = forkInference(import.meta.url, loadOptions);
    worker.on("message", (message: FromWorker) => this.onMessage(message));
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code, signal) => {
      if (this.worker === worker) this.worker = undefined;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (this.pending.size > 0) this.failAll(new Error(`the inference process ${how} during the job`));
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case "progress":
        this.pending.get(message.id)?.onProgress?.(message.progress);
        return;
      case "preview":
        this.pending.get(message.id)?.onPreview?.(message.preview);
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
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    send(worker, { type: "shutdown" });
    const timeout = setTimeout(() => worker.kill("SIGKILL"), this.options.closeTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timeout);
  }
}

/** Sends unless the process is gone (its exit fails the pending calls). */
function send(worker: ChildProcess, message: ToWorker): void {
  if (worker.connected) worker.send(message);
}
