"use client";

import { useCallback, useState } from "react";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { ImageAction } from "./job-card";

const ACTION_CALLS: Record<ImageAction, (id: string) => Promise<TJobView>> = {
  "vary-subtle": (id) => callApi(endpoints.varyImage, { params: { id }, body: { strength: "subtle" } }),
  "vary-strong": (id) => callApi(endpoints.varyImage, { params: { id }, body: { strength: "strong" } }),
  "upscale-subtle": (id) => callApi(endpoints.upscaleImage, { params: { id }, body: { kind: "subtle" } }),
  "upscale-creative": (id) => callApi(endpoints.upscaleImage, { params: { id }, body: { kind: "creative" } }),
  enhance: (id) => callApi(endpoints.enhanceImage, { params: { id } }),
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
      void run(() => ACTION_CALLS[action](image.id));
    },
    [run],
  );
  const onRerun = useCallback((job: TJobView) => void run(() => callApi(endpoints.rerunJob, { params: { id: job.id }, body: {} })), [run]);
  const onCancel = useCallback((job: TJobView) => void run(() => callApi(endpoints.cancelJob, { params: { id: job.id } })), [run]);

  return { error, setError, run, onImageAction, onRerun, onCancel };
}
