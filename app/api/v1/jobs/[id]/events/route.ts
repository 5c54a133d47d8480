import { endpoints } from "@/lib/api/endpoints";
import { route } from "@/lib/api/route-handler";
import type { TJobView } from "@/lib/schemas/jobs";
import { getWebContext } from "@/lib/server/context";
import type { TJobProgressEvent, TJobQueueEvent } from "@/lib/schemas/job-stream";
import type { JobEvent } from "@/lib/server/jobs/job-events";
import { getJobAndQueueForUser, getJobForUser } from "@/lib/server/jobs/read-jobs";

export const dynamic = "force-dynamic";

const TERMINAL = new Set<TJobView["status"]>(["completed", "failed", "cancelled"]);
/** Keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
/** How often a queued job's place in line is re-read from the queue. */
const QUEUE_POSITION_MS = 2_000;

// Server-Sent Events: `job` snapshots, `progress`, `preview` and `queue`, until the job ends (docs/live-previews.md).
export const GET = route(endpoints.jobEvents, async ({ req, principal, params: { id } }) => {
  const { db, jobEvents, log } = getWebContext();
  const { job: first, modelId } = await getJobAndQueueForUser(db, principal.userId, id);
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(keepalive);
        clearInterval(queueTimer);
        controller.close();
      };
      let status = first.status;
      let lastAhead: number | null | undefined;
      const sendQueuePosition = async () => {
        if (closed || status !== "queued") return;
        const ahead = await jobEvents.queuePosition(id, modelId).catch(() => null);
        if (ahead === lastAhead || status !== "queued") return;
        lastAhead = ahead;
        send("queue", { ahead } satisfies TJobQueueEvent);
      };
      // Postgres decides what a job is; events only say when to look again.
      const sendSnapshot = async () => {
        // `finished` can arrive twice (the job's channel, then BullMQ): once closed, there is nothing to read.
        if (closed) return;
        const job = await getJobForUser(db, principal.userId, id).catch(() => null);
        if (!job) return close();
        status = job.status;
        send("job", job);
        if (TERMINAL.has(job.status)) close();
      };
      const unsubscribe = jobEvents.subscribe(id, modelId, (event: JobEvent) => {
        if (event.type === "progress") {
          // Progress means a worker has the job, whatever the last snapshot said.
          status = "running";
          send("progress", { fraction: event.fraction, stage: event.stage } satisfies TJobProgressEvent);
        } else if (event.type === "preview") send("preview", event.preview);
        else void sendSnapshot().catch((error: unknown) => log.warn({ err: error, jobId: id }, "snapshot failed"));
      });
      const keepalive = setInterval(() => !closed && controller.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
      const queueTimer = setInterval(() => void sendQueuePosition(), QUEUE_POSITION_MS);
      req.signal.addEventListener("abort", close);
      send("job", first);
      void sendQueuePosition();
      if (TERMINAL.has(first.status)) close();
      // The job may have finished between the first read and the subscription.
      else void sendSnapshot();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
});
