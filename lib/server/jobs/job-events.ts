import { EventEmitter } from "node:events";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "@/lib/log";
import { QUEUES } from "@/lib/queue/queues";

export type JobEvent = { type: "progress"; fraction: number; stage: string } | { type: "finished" } | { type: "attempt-failed"; message: string };

export interface JobEvents {
  /** Calls `listener` for events of one job until the returned function is called. */
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
}

function readProgress(data: unknown): { fraction: number; stage: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const { fraction, stage } = data as { fraction?: unknown; stage?: unknown };
  return typeof fraction === "number" ? { fraction: Math.min(1, Math.max(0, fraction)), stage: typeof stage === "string" ? stage : "" } : null;
}

/**
 * Fans BullMQ's queue events out to the SSE streams of this process, by job
 * id. Postgres stays the source of truth: streams re-read the row on
 * `finished` rather than trusting the event.
 */
export function createJobEvents(connection: Redis, prefix: string, log: Logger): JobEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let queueEvents: QueueEvents | undefined;
  const start = () => {
    if (queueEvents) return;
    queueEvents = new QueueEvents(QUEUES.gpu, { connection, prefix });
    queueEvents.on("error", (error) => log.warn({ err: error }, "queue events error"));
    queueEvents.on("progress", ({ jobId, data }) => {
      const progress = readProgress(data);
      if (progress) emitter.emit(jobId, { type: "progress", ...progress } satisfies JobEvent);
    });
    queueEvents.on("completed", ({ jobId }) => emitter.emit(jobId, { type: "finished" } satisfies JobEvent));
    queueEvents.on("failed", ({ jobId, failedReason }) => emitter.emit(jobId, { type: "attempt-failed", message: failedReason } satisfies JobEvent));
    queueEvents.on("removed", ({ jobId }) => emitter.emit(jobId, { type: "finished" } satisfies JobEvent));
  };
  return {
    subscribe(jobId, listener) {
      start();
      emitter.on(jobId, listener);
      return () => emitter.off(jobId, listener);
    },
  };
}
