/**
 * The Redis pub/sub channel a job's live previews travel on, worker → web
 * (docs/live-previews.md §4). Pub/sub rather than BullMQ progress: previews
 * are not worth storing, and a stream opened late simply waits for the next.
 */
export function previewChannel(prefix: string, jobId: string): string {
  return `${prefix}:job-preview:${jobId}`;
}
