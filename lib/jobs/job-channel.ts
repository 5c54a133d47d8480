/**
 * The Redis pub/sub channel of one running job, worker → web
 * (docs/live-previews.md §4). It carries the job's live previews (JSON,
 * lib/schemas/job-stream.ts) and, the moment the worker's completion
 * commits, the word `finished`: streams re-read the row at once instead of
 * waiting for BullMQ's completion event, which follows a Redis script and a
 * stream read later (docs/benchmarks.md, "notify"). BullMQ's event still
 * arrives and is the fallback for a missed message.
 *
 * Pub/sub rather than BullMQ progress: previews are not worth storing, and a
 * stream opened late simply waits for the next one.
 */
export function jobChannel(prefix: string, jobId: string): string {
  // The name on the wire predates the finish signal; kept so web and workers of adjacent versions still meet.
  return `${prefix}:job-preview:${jobId}`;
}

/** The message that says the job's row is final; anything else on the channel is a preview. */
export const JOB_FINISHED_MESSAGE = "finished";
