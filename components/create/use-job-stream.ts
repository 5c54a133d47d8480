"use client";

import { useEffect, useState } from "react";
import { apiUrl } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TJobView } from "@/lib/schemas/jobs";

const ACTIVE = new Set<TJobView["status"]>(["queued", "running"]);

/**
 * Follows one job over Server-Sent Events while it is queued or running:
 * `job` snapshots replace the job, `progress` events move the bar between them.
 */
export function useJobStream(initial: TJobView, onUpdate: (job: TJobView) => void): { fraction: number; stage: string | null } {
  const [live, setLive] = useState<{ fraction: number; stage: string | null }>({ fraction: initial.progress, stage: null });
  const isActive = ACTIVE.has(initial.status);

  useEffect(() => {
    if (!isActive) return;
    const source = new EventSource(apiUrl(endpoints.jobEvents, { params: { id: initial.id } }));
    source.addEventListener("progress", (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { fraction: number; stage: string };
      setLive({ fraction: data.fraction, stage: data.stage });
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
