import { AppError } from "@/lib/errors";
import type { Db } from "@/lib/db/client";
import type { JobEvents } from "@/lib/server/jobs/job-events";

/** How long a protocol request waits for its jobs before answering with their ids. */
export const PROTOCOL_WAIT_MS = 120_000;
/** A fallback re-read of Postgres, in case a queue event was missed (reconnect, another process). */
const POLL_MS = 1_000;

export interface FinishedImage {
  id: string;
  index: number;
  seed: bigint;
  width: number;
  height: number;
  storageKey: string;
}

export interface FinishedJob {
  id: string;
  params: unknown;
  images: FinishedImage[];
}

/** A job that ended without images, or did not end in time: the protocol decides the status. */
export class JobWaitError extends Error {
  override name = "JobWaitError";
  constructor(
    readonly reason: "failed" | "cancelled" | "timeout",
    message: string,
    readonly jobIds: string[],
  ) {
    super(message);
  }

  /**
   * The HTTP status every protocol answers with: a job cancelled while the
   * request waited (an A1111 interrupt, a cancel in the studio) is a conflict
   * the caller caused, not a server fault; still running after the wait is a
   * gateway timeout; a job that failed is the studio's fault.
   */
  get status(): 409 | 500 | 504 {
    return this.reason === "cancelled" ? 409 : this.reason === "timeout" ? 504 : 500;
  }
}

/**
 * Waits until every job is completed and returns their images (grid order),
 * or throws JobWaitError. Postgres is the truth: queue events (the same ones
 * the SSE route uses) only wake the loop early, and the rows are re-read on
 * every wake-up. `signal` (the request's) stops waiting when the client goes.
 */
export async function waitForJobs(
  deps: { db: Db; jobEvents: JobEvents },
  userId: string,
  ids: string[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<FinishedJob[]> {
  const deadline = Date.now() + (options.timeoutMs ?? PROTOCOL_WAIT_MS);
  let wake: (() => void) | undefined;
  const unsubscribe: Array<() => void> = [];
  const subscribed = new Set<string>();
  try {
    for (;;) {
      const rows = await deps.db.job.findMany({
        where: { id: { in: ids }, userId },
        select: {
          id: true,
          modelId: true,
          status: true,
          error: true,
          params: true,
          images: { orderBy: { index: "asc" }, select: { id: true, index: true, seed: true, width: true, height: true, storageKey: true } },
        },
      });
      for (const row of rows) {
        if (subscribed.has(row.id)) continue;
        subscribed.add(row.id);
        unsubscribe.push(deps.jobEvents.subscribe(row.id, row.modelId, (event) => {
          if (event.type !== "progress") wake?.();
        }));
      }
      const failed = rows.find((row) => row.status === "failed");
      if (failed) throw new JobWaitError("failed", `Job ${failed.id} failed: ${failed.error ?? "the worker gave up on it"}.`, ids);
      const cancelled = rows.find((row) => row.status === "cancelled");
      if (cancelled) throw new JobWaitError("cancelled", `Job ${cancelled.id} was cancelled before it finished (by an interrupt, or from the studio). Send the request again to make new images.`, ids);
      if (rows.length === ids.length && rows.every((row) => row.status === "completed")) {
        return ids.map((id) => rows.find((row) => row.id === id)!).map(({ id, params, images }) => ({ id, params, images }));
      }
      if (options.signal?.aborted) throw new AppError("BAD_REQUEST", "The client went away.");
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new JobWaitError(
          "timeout",
          `The images are not ready after ${Math.round((options.timeoutMs ?? PROTOCOL_WAIT_MS) / 1000)} s; they will still appear in your Mirage gallery (jobs ${ids.join(", ")}).`,
          ids,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(POLL_MS, left));
        function done() {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", done);
          wake = undefined;
          resolve();
        }
        wake = done;
        options.signal?.addEventListener("abort", done, { once: true });
      });
    }
  } finally {
    for (const stop of unsubscribe) stop();
  }
}
