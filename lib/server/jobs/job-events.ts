import { EventEmitter } from "node:events";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "@/lib/log";
import { gpuQueueName } from "@/lib/jobs/queue";

export type JobEvent = { type: "progress"; fraction: number; stage: string } | { type: "finished" } | { type: "attempt-failed"; message: string };

export interface JobEvents {
  /** Calls `listener` for events of one job (in its model's queue) until the returned function is called. */
  subscribe(jobId: string, modelId: string, listener: (event: JobEvent) => void): () => void;
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
  // One QueueEvents per model queue, opened when a stream first needs it; each
  // holds a blocking read, so each gets its own connection.
  const opened = new Map<string, QueueEvents>();
  const start = (modelId: string) => {
    if (opened.has(modelId)) return;
    const queueEvents = new QueueEvents(gpuQueueName(modelId), { connection: opened.size === 0 ? connection : connection.duplicate(), prefix });
    opened.set(modelId, queueEvents);
    queueEvents.on("error", (error) => log.warn({ err: error, modelId }, "queue events error"));
    queueEvents.on("progress", ({ jobId, data }) => {
      const progress = readProgress(data);
      if (progress) emitter.emit(jobId, { type: "progress", ...progress } satisfies JobEvent);
    });
    queueEvents.on("completed", ({ jobId }) => emitter.emit(jobId, { type: "finished" } satisfies JobEvent));
    queueEvents.on("failed", ({ jobId, failedReason }) => emitter.emit(jobId, { type: "attempt-failed", message: failedReason } satisfies JobEvent));
    queueEvents.on("removed", ({ jobId }) => emitter.emit(jobId, { type: "finished" } satisfies JobEvent));
  };
  return {
    subscribe(jobId, modelId, listener) {
      start(modelId);
      emitter.on(jobId, listener);
      return () => emitter.off(jobId, listener);
    },
  };
}
