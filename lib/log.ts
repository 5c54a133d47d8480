import pino, { type Logger } from "pino";

/**
 * Structured JSON logs (one object per line) for every process. Each process
 * names itself so merged logs from web, worker and launcher stay readable.
 */
export function createLogger(processName: string, level = "info"): Logger {
  return pino({ name: processName, level, base: { pid: process.pid } });
}

export type { Logger };
