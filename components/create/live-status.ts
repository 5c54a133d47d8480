import type { TJobView } from "@/lib/schemas/jobs";
import type { LiveJob } from "./use-job-stream";

/**
 * What an active job's card says (docs/live-previews.md §5): "Queued · 3 ahead"
 * while it waits, "Generating 40 %" (or "Upscaling 40 %") while a worker runs
 * it, "Saving" once inference is done. A progress event wins over a stale
 * `queued` snapshot: it means a worker has the job.
 */
export function liveStatusLabel(status: TJobView["status"], live: Pick<LiveJob, "fraction" | "stage" | "ahead">): string {
  if (status === "queued" && live.stage === null) {
    if (live.ahead === undefined || live.ahead === null) return "Queued";
    return live.ahead === 0 ? "Queued · next" : `Queued · ${live.ahead} ahead`;
  }
  const percent = Math.round(Math.min(1, Math.max(0, live.fraction)) * 100);
  if (live.stage === "decode" || percent >= 100) return "Saving";
  return `${live.stage === "upscale" ? "Upscaling" : "Generating"} ${percent} %`;
}

/** Tiles an active job will fill: as many as its previews, else one for an upscale and four otherwise. */
export function expectedTiles(job: Pick<TJobView, "type">, preview: readonly string[] | null): number {
  if (preview) return preview.length;
  return job.type.startsWith("upscale") ? 1 : 4;
}
