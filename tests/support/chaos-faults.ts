/**
 * Fault injection for chaos tests, preloaded into a real worker process with
 * `node --import tsx --import ./tests/support/chaos-faults.ts workers/main.ts`.
 * Nothing in the product knows about it: it wraps `child_process.fork` (the
 * diffusion runner's inference process) before the worker loads, and acts on
 * the messages that cross the process boundary. Configured by the
 * CHAOS_FAULTS environment variable (JSON, see `ChaosFaults`).
 */
import type * as ChildProcesses from "node:child_process";
import { createRequire, syncBuiltinESMExports } from "node:module";

export interface ChaosFaults {
  /**
   * SIGKILL the inference process after the first progress of a job whose
   * prompt contains `prompt`, at most `times` times per process (default: always).
   */
  killInference?: Array<{ prompt: string; times?: number }>;
  /** SIGKILL the whole worker process mid-job (a native crash) when the prompt contains this. */
  crashProcessOnPrompt?: string;
  /** Hold every generate request this long before the inference process sees it: a slow GPU. */
  delayGenerateMs?: number;
}

interface GenerateMessage {
  type: "generate";
  id: number;
  request: { prompt?: string };
}

const faults: ChaosFaults = JSON.parse(process.env.CHAOS_FAULTS ?? "{}") as ChaosFaults;
const require = createRequire(import.meta.url);
const childProcesses = require("node:child_process") as typeof ChildProcesses;
const originalFork = childProcesses.fork;
const processKills = new Map<string, number>();

function isGenerate(message: unknown): message is GenerateMessage {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === "generate";
}

/** What to do to this job at its first progress message, if anything. */
function fateOf(message: GenerateMessage): "inference" | "worker" | undefined {
  const prompt = message.request.prompt ?? "";
  if (faults.crashProcessOnPrompt && prompt.includes(faults.crashProcessOnPrompt)) return "worker";
  const rule = faults.killInference?.find((candidate) => prompt.includes(candidate.prompt));
  const done = rule ? (processKills.get(rule.prompt) ?? 0) : 0;
  if (!rule || done >= (rule.times ?? Infinity)) return undefined;
  processKills.set(rule.prompt, done + 1);
  return "inference";
}

function chaosFork(...args: Parameters<typeof originalFork>): ChildProcesses.ChildProcess {
  const child = originalFork(...args);
  /** Jobs (runner message ids) to act on at their first progress message. */
  const doomed = new Map<number, "inference" | "worker">();
  // Messages pass through emit so that, once the process is killed, nothing it
  // had already written to the pipe (a fast model's result) still arrives: the
  // process died at that progress message, as far as the runner can tell.
  let killed = false;
  const emit = child.emit.bind(child) as (event: string | symbol, ...args: unknown[]) => boolean;
  child.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event !== "message") return emit(event, ...args);
    if (killed) return false;
    const message = args[0] as { type?: string; id?: number };
    const fate = message.type === "progress" && message.id !== undefined ? doomed.get(message.id) : undefined;
    if (!fate) return emit(event, ...args);
    if (fate === "worker") {
      console.error(`[chaos] SIGKILL worker process ${process.pid} mid-job`);
      process.kill(process.pid, "SIGKILL");
    } else {
      console.error(`[chaos] SIGKILL the inference process ${child.pid} mid-job`);
      killed = true;
      child.kill("SIGKILL");
    }
    return false;
  }) as typeof child.emit;
  const send = child.send.bind(child) as (message: unknown) => boolean;
  child.send = ((message: unknown) => {
    if (!isGenerate(message)) return send(message);
    const fate = fateOf(message);
    if (fate) doomed.set(message.id, fate);
    if (!faults.delayGenerateMs) return send(message);
    setTimeout(() => child.connected && send(message), faults.delayGenerateMs);
    return true;
  }) as typeof child.send;
  return child;
}

childProcesses.fork = chaosFork as typeof originalFork;
syncBuiltinESMExports();
