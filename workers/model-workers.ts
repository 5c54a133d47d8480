import { DelayedError, QueueEvents, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { CANCEL_EVENT, gpuQueueName, type TGpuJobData } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

/** How soon a job handed back (it arrived while the GPU was busy) is offered again. */
const HAND_BACK_DELAY_MS = 200;

export interface ModelWorkersOptions {
  connection: Redis;
  prefix: string;
  lockDuration: number;
  stalledInterval: number;
  log: Logger;
  /** Runs one job; `signal` aborts when the user cancels it (BullMQ's Worker.cancelJob). */
  process: (job: Job<TGpuJobData>, signal: AbortSignal) => Promise<unknown>;
}

/**
 * The consumers of one worker process: one BullMQ Worker per model queue
 * (`gpu.<modelId>`), sharing one GPU, so one job at a time across all of them.
 * While a job runs, the other queues' consumers are paused; a job another
 * consumer fetched in the instant before the pause is handed straight back to
 * its queue (delayed by 200 ms, priority kept, no attempt used) for any
 * worker to take. Models are added as they finish loading, so a worker never
 * takes a job for a model it has not loaded.
 */
export function createModelWorkers(options: ModelWorkersOptions) {
  const workers = new Map<string, Worker<TGpuJobData>>();
  const cancelReaders = new Map<string, QueueEvents>();
  let busy = false;
  /** The job running here, if any (what SIGTERM's deadline hands back). */
  let running: string | undefined;
  let closing = false;

  const add = async (modelId: string): Promise<void> => {
    if (closing || workers.has(modelId)) return;
    const worker: Worker<TGpuJobData> = new Worker<TGpuJobData>(
      gpuQueueName(modelId),
      async (job, token, signal) => {
        if (busy) {
          await job.moveToDelayed(Date.now() + HAND_BACK_DELAY_MS, token);
          throw new DelayedError();
        }
        busy = true;
        const others = () => [...workers.values()].filter((other) => other !== worker);
        await Promise.all(others().map((other) => other.pause(true)));
        running = job.id;
        try {
          // BullMQ passes a signal to processors; one is made here only if a version does not.
          return await options.process(job, signal ?? new AbortController().signal);
        } finally {
          busy = false;
          running = undefined;
          // Resumes (or starts, for a model added meanwhile) every other consumer.
          if (!closing) for (const other of others()) void other.resume();
        }
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: 1,
        // Inference runs off this event loop, but a long job still needs a lock
        // that outlives a slow step; a stalled job is retried once, then failed.
        lockDuration: options.lockDuration,
        stalledInterval: options.stalledInterval,
        maxStalledCount: 1,
        // A model added while another model's job runs starts when that job ends.
        autorun: !busy,
      },
    );
    workers.set(modelId, worker);
    worker.on("error", (error) => options.log.error({ err: error, modelId }, "worker error"));
    worker.on("failed", (job, error) => {
      if (!(error instanceof DelayedError)) options.log.warn({ jobId: job?.id, modelId, err: error }, "job failed");
    });
    // Cancel requests for this model's jobs arrive on its queue's event stream;
    // only the worker running the job finds it (cancelJob is false elsewhere).
    // The reader blocks on Redis, so it gets its own connection.
    const cancels = new QueueEvents(gpuQueueName(modelId), { connection: options.connection.duplicate(), prefix: options.prefix });
    cancels.on("error", (error) => options.log.warn({ err: error, modelId }, "cancel reader error"));
    (cancels as unknown as NodeJS.EventEmitter).on(CANCEL_EVENT, (event: { jobId?: string }) => {
      if (event.jobId && worker.cancelJob(event.jobId, "cancelled by the user")) options.log.info({ jobId: event.jobId }, "cancel request delivered to the running job");
    });
    cancelReaders.set(modelId, cancels);
    await Promise.all([worker.waitUntilReady(), cancels.waitUntilReady()]);
  };

  return {
    add,
    models: () => [...workers.keys()],
    queueNames: () => [...workers.keys()].map(gpuQueueName),
    /** Ids of the jobs running in this process (at most one: one GPU). */
    runningJobIds: () => (running ? [running] : []),
    /** Stops taking jobs and waits for the running one (callers race this against their deadline). */
    async close(): Promise<void> {
      closing = true;
      await Promise.all([...workers.values()].map((worker) => worker.close()));
      await Promise.allSettled([...cancelReaders.values()].map((reader) => reader.close()));
    },
  };
}
