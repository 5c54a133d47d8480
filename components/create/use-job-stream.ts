"use client";

import { useEffect, useState } from "react";
import { apiUrl } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TJobView } from "@/lib/schemas/jobs";
import { ZJobPreviewEvent, ZJobProgressEvent, ZJobQueueEvent } from "@/lib/schemas/job-stream";

const ACTIVE = new Set<TJobView["status"]>(["queued", "running"]);

export interface LiveJob {
  fraction: number;
  /** The engine's stage from the last progress event; null until one arrives. */
  stage: string | null;
  /** The images forming (data URLs), newest preview; null until the first. */
  preview: string[] | null;
  /** Jobs ahead in the queue while this one waits; null when the queue cannot tell, undefined before it was asked. */
  ahead: number | null | undefined;
}

/** An event's JSON, checked against its schema; a malformed one is ignored (it only decorates the card). */
function parseEvent<T>(schema: { safeParse: (value: unknown) => { success: true; data: T } | { success: false } }, event: Event): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse((event as MessageEvent<string>).data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Follows one job over Server-Sent Events while it is queued or running:
 * `job` snapshots replace the job; `progress`, `preview` and `queue` events
 * update the card between them (docs/live-previews.md).
 */
export function useJobStream(initial: TJobView, onUpdate: (job: TJobView) => void): LiveJob {
  const [live, setLive] = useState<LiveJob>({ fraction: initial.progress, stage: null, preview: null, ahead: undefined });
  const isActive = ACTIVE.has(initial.status);

  useEffect(() => {
    if (!isActive) return;
    const source = new EventSource(apiUrl(endpoints.jobEvents, { params: { id: initial.id } }));
    source.addEventListener("progress", (event) => {
      const data = parseEvent(ZJobProgressEvent, event);
      if (data) setLive((current) => ({ ...current, fraction: data.fraction, stage: data.stage }));
    });
    source.addEventListener("preview", (event) => {
      const data = parseEvent(ZJobPreviewEvent, event);
      // A preview may overtake a progress event (different Redis paths): the bar never moves back.
      if (data) setLive((current) => ({ ...current, preview: data.images, fraction: Math.max(current.fraction, data.fraction) }));
    });
    source.addEventListener("queue", (event) => {
      const data = parseEvent(ZJobQueueEvent, event);
      if (data) setLive((current) => ({ ...current, ahead: data.ahead }));
    });
    source.addEventListener("job", (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as TJobView;
      onUpdate(job);
      if (!ACTIVE.has(job.status)) source.close();
    });
    // EventSource reconnects by itself after network errors; the snapshot on reconnect catches up.
    return () => source.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one stream per job id while active
  }, [initial.id, isActive]);

  return live;
}
