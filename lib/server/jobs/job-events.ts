import { EventEmitter } from "node:events";
import { QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "@/lib/log";
import { JOB_FINISHED_MESSAGE, jobChannel } from "@/lib/jobs/job-channel";
import { gpuQueueName } from "@/lib/jobs/queue";
import { ZJobPreviewEvent, type TJobPreviewEvent } from "@/lib/schemas/job-stream";

export type JobEvent =
  | { type: "progress"; fraction: number; stage: string }
  | { type: "preview"; preview: TJobPreviewEvent }
  | { type: "finished" }
  | { type: "attempt-failed"; message: string };

export interface JobEvents {
  /** Calls `listener` for events of one job (in its model's queue) until the returned function is called. */
  subscribe(jobId: string, modelId: string, listener: (event: JobEvent) => void): () => void;
  /**
   * How many jobs of the model's queue will start before this one, read from
   * the queue itself; null when it is not waiting in line (running, or a retry in backoff).
   */
  queuePosition(jobId: string, modelId: string): Promise<number | null>;
  /** Closes the Redis readers (tests and benchmarks that end their process cleanly). */
  close(): Promise<void>;
}

function readProgress(data: unknown): { fraction: number; stage: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const { fraction, stage } = data as { fraction?: unknown; stage?: unknown };
  return typeof fraction === "number" ? { fraction: Math.min(1, Math.max(0, fraction)), stage: typeof stage === "string" ? stage : "" } : null;
}

/**
 * Fans BullMQ's queue events and the jobs' own channels out to the SSE
 * streams of this process, by job id. Postgres stays the source of truth:
 * streams re-read the row on `finished` rather than trusting the event, and
 * `finished` may come twice (the job's channel, then BullMQ).
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
  // Plain reads (the replay below) need a connection of their own: the first QueueEvents blocks on `connection`.
  let reader: Redis | undefined;
  // Live previews and the finish signal arrive on per-job pub/sub channels (lib/jobs/job-channel.ts), over
  // one subscriber connection, subscribed while at least one stream of this process follows the job.
  let subscriber: Redis | undefined;
  const channelFollowers = new Map<string, number>();
  const channelPrefix = jobChannel(prefix, "");
  const followChannel = (jobId: string) => {
    if (!subscriber) {
      subscriber = connection.duplicate();
      subscriber.on("error", (error) => log.warn({ err: error }, "job channel subscriber error"));
      subscriber.on("message", (channel: string, message: string) => {
        if (!channel.startsWith(channelPrefix)) return;
        const jobId = channel.slice(channelPrefix.length);
        if (message === JOB_FINISHED_MESSAGE) return void emitter.emit(jobId, { type: "finished" } satisfies JobEvent);
        const parsed = ZJobPreviewEvent.safeParse(safeJson(message));
        if (parsed.success) emitter.emit(jobId, { type: "preview", preview: parsed.data } satisfies JobEvent);
        else log.debug({ channel }, "dropped a malformed live preview");
      });
    }
    const count = channelFollowers.get(jobId) ?? 0;
    channelFollowers.set(jobId, count + 1);
    if (count === 0) void subscriber.subscribe(jobChannel(prefix, jobId)).catch((error: unknown) => log.warn({ err: error, jobId }, "could not follow the job's channel"));
  };
  const unfollowChannel = (jobId: string) => {
    const count = (channelFollowers.get(jobId) ?? 1) - 1;
    if (count > 0) return void channelFollowers.set(jobId, count);
    channelFollowers.delete(jobId);
    void subscriber?.unsubscribe(jobChannel(prefix, jobId)).catch(() => undefined);
  };
  /**
   * The latest progress BullMQ stored for the job (its hash's `progress`
   * field). A stream opened after the job's first progress event would
   * otherwise wait for the next one: the worker sends at most ten a second,
   * and a browser subscribes only after its submit answered, so it missed
   * the first, sent as inference began, on most jobs (bench/e2e).
   */
  const storedProgress = async (jobId: string, modelId: string) => {
    reader ??= connection.duplicate();
    const raw = await reader.hget(`${prefix}:${gpuQueueName(modelId)}:${jobId}`, "progress");
    return raw === null ? null : readProgress(JSON.parse(raw));
  };
  return {
    subscribe(jobId, modelId, listener) {
      start(modelId);
      let heardProgress = false;
      let subscribed = true;
      const forward = (event: JobEvent) => {
        if (event.type === "progress") heardProgress = true;
        listener(event);
      };
      emitter.on(jobId, forward);
      followChannel(jobId);
      void storedProgress(jobId, modelId)
        .then((progress) => {
          // A live event already said more; replaying an older figure would move the bar back.
          if (progress && subscribed && !heardProgress) listener({ type: "progress", ...progress });
        })
        .catch((error: unknown) => log.debug({ err: error, jobId }, "could not read stored progress"));
      return () => {
        if (!subscribed) return;
        subscribed = false;
        emitter.off(jobId, forward);
        unfollowChannel(jobId);
      };
    },
    async queuePosition(jobId, modelId) {
      reader ??= connection.duplicate();
      // Every GPU job is enqueued with a priority (lib/jobs/queue.ts), so the line is BullMQ's
      // prioritized set (by score); jobs in the plain wait list, if any, are taken before it.
      const key = `${prefix}:${gpuQueueName(modelId)}`;
      const [rank, waiting] = await Promise.all([reader.zrank(`${key}:prioritized`, jobId), reader.llen(`${key}:wait`)]);
      if (rank !== null) return rank + waiting;
      // BullMQ pushes on the left of the wait list and takes from the right.
      const index = await reader.lpos(`${key}:wait`, jobId);
      return index === null ? null : waiting - 1 - index;
    },
    async close() {
      await Promise.allSettled([...opened.values()].map((queueEvents) => queueEvents.close()));
      opened.clear();
      reader?.disconnect();
      subscriber?.disconnect();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
