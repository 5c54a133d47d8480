"use client";

import { useCallback, useState } from "react";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { apiFetch } from "../api-fetch";
import type { ImageAction } from "./job-card";

const ACTION_REQUESTS: Record<ImageAction, { path: string; body?: unknown }> = {
  "vary-subtle": { path: "vary", body: { strength: "subtle" } },
  "vary-strong": { path: "vary", body: { strength: "strong" } },
  "upscale-subtle": { path: "upscale", body: { kind: "subtle" } },
  "upscale-creative": { path: "upscale", body: { kind: "creative" } },
  enhance: { path: "enhance" },
};

/**
 * The job actions shared by every feed (Create, Draft): each calls the API
 * and hands the new or changed job to `onJob`; failures land in `error`.
 */
export function useJobActions(onJob: (job: TJobView) => void) {
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async (request: () => Promise<TJobView | TJobView[]>): Promise<boolean> => {
      setError(null);
      try {
        const result = await request();
        for (const job of Array.isArray(result) ? result.toReversed() : [result]) onJob(job);
        return true;
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
        return false;
      }
    },
    [onJob],
  );

  const onImageAction = useCallback(
    (image: TImageView, action: ImageAction) => {
      const { path, body } = ACTION_REQUESTS[action];
      void run(() => apiFetch<TJobView>(`/api/v1/images/${image.id}/${path}`, { method: "POST", body: body ?? {} }));
    },
    [run],
  );
  const onRerun = useCallback((job: TJobView) => void run(() => apiFetch<TJobView>(`/api/v1/jobs/${job.id}/rerun`, { method: "POST", body: {} })), [run]);
  const onCancel = useCallback((job: TJobView) => void run(() => apiFetch<TJobView>(`/api/v1/jobs/${job.id}/cancel`, { method: "POST", body: {} })), [run]);

  return { error, setError, run, onImageAction, onRerun, onCancel };
}
