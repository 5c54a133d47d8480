/**
 * Fault injection for chaos tests, preloaded into a real worker process with
 * `node --import tsx --import ./tests/support/chaos-faults.ts workers/main.ts`.
 * Nothing in the product knows about it: it wraps `worker_threads.Worker`
 * (the diffusion runner's inference thread) before the worker loads, and
 * acts on the messages that cross the thread boundary. Configured by the
 * CHAOS_FAULTS environment variable (JSON, see `ChaosFaults`).
 */
import { createRequire, syncBuiltinESMExports } from "node:module";
import type * as WorkerThreads from "node:worker_threads";

export interface ChaosFaults {
  /**
   * Terminate the inference thread after the first progress of a job whose
   * prompt contains `prompt`, at most `times` times per process (default: always).
   */
  killThread?: Array<{ prompt: string; times?: number }>;
  /** SIGKILL the whole worker process mid-job (a native crash) when the prompt contains this. */
  crashProcessOnPrompt?: string;
  /** Hold every generate request this long before the thread sees it: a slow GPU. */
  delayGenerateMs?: number;
}

interface GenerateMessage {
  type: "generate";
  id: number;
  request: { prompt?: string };
}

const faults: ChaosFaults = JSON.parse(process.env.CHAOS_FAULTS ?? "{}") as ChaosFaults;
const require = createRequire(import.meta.url);
const threads = require("node:worker_threads") as typeof WorkerThreads;
const Original = threads.Worker;
const threadKills = new Map<string, number>();

function isGenerate(message: unknown): message is GenerateMessage {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "generate";
}

class ChaosWorker extends Original {
  /** Jobs (runner message ids) to act on at their first progress message. */
  private readonly doomed = new Map<number, "thread" | "process">();

  constructor(...args: ConstructorParameters<typeof Original>) {
    super(...args);
    this.on("message", (message: { type?: string; id?: number }) => {
      if (message.type !== "progress" || message.id === undefined) return;
      const fate = this.doomed.get(message.id);
      if (!fate) return;
      this.doomed.delete(message.id);
      if (fate === "process") {
        console.error(`[chaos] SIGKILL worker process ${process.pid} mid-job`);
        process.kill(process.pid, "SIGKILL");
      } else {
        console.error(`[chaos] terminating the inference thread mid-job`);
        void this.terminate();
      }
    });
  }

  override postMessage(message: unknown, transfer?: readonly WorkerThreads.Transferable[]): void {
    if (isGenerate(message)) {
      const prompt = message.request.prompt ?? "";
      if (faults.crashProcessOnPrompt && prompt.includes(faults.crashProcessOnPrompt)) this.doomed.set(message.id, "process");
      else {
        const rule = faults.killThread?.find((candidate) => prompt.includes(candidate.prompt));
        const done = rule ? (threadKills.get(rule.prompt) ?? 0) : 0;
        if (rule && done < (rule.times ?? Infinity)) {
          threadKills.set(rule.prompt, done + 1);
          this.doomed.set(message.id, "thread");
        }
      }
      if (faults.delayGenerateMs) {
        setTimeout(() => super.postMessage(message, transfer), faults.delayGenerateMs);
        return;
      }
    }
    super.postMessage(message, transfer);
  }
}

threads.Worker = ChaosWorker;
syncBuiltinESMExports();
