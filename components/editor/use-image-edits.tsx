"use client";

import { useCallback, useState, type ReactNode } from "react";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TEditRequest } from "@/lib/schemas/editor";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { moveLabel, remixPromptOf, type EditMove } from "./edit-moves";
import { RemixDialog } from "./remix-dialog";

interface PendingRemix {
  action: string;
  initialPrompt: string;
  call: (prompt?: string) => Promise<TJobView>;
}

interface ImageEditsOptions {
  /** The Remix switch of Create's settings. */
  remix: boolean;
  /** The jobs on the page, to find an image's prompt. */
  jobs: readonly TJobView[];
  onJob: (job: TJobView) => void;
  /** Runs a call the way the feed's other actions run (a refusal shows in the imagine bar). */
  run: (request: () => Promise<TJobView>) => Promise<boolean>;
}

/**
 * The Editor's calls for a feed: Region (from the Editor, which shows its own
 * refusals), the outpainting moves and Vary. With Remix on, a move or a Vary
 * opens the prompt first (`remixDialog`); a prompt left as it was is not sent,
 * so the image's exact recipe is kept.
 */
export function useImageEdits({ remix, jobs, onJob, run }: ImageEditsOptions): {
  editImage: (image: TImageView, request: TEditRequest) => Promise<void>;
  editUpload: (uploadId: string, request: TEditRequest) => Promise<void>;
  requestMove: (image: TImageView, move: EditMove) => void;
  requestVary: (image: TImageView, strength: "subtle" | "strong") => void;
  remixDialog: ReactNode;
} {
  const [pending, setPending] = useState<PendingRemix | null>(null);

  const editImage = useCallback(async (image: TImageView, request: TEditRequest) => {
    onJob(await callApi(endpoints.editImage, { params: { id: image.id }, body: request }));
  }, [onJob]);
  const editUpload = useCallback(async (uploadId: string, request: TEditRequest) => {
    onJob(await callApi(endpoints.editUpload, { params: { id: uploadId }, body: request }));
  }, [onJob]);

  const gate = useCallback((image: TImageView, action: string, call: (prompt?: string) => Promise<TJobView>) => {
    if (!remix) {
      void run(() => call());
      return;
    }
    const job = jobs.find((candidate) => candidate.images.some((shown) => shown.id === image.id));
    setPending({ action, initialPrompt: job ? remixPromptOf(job) : "", call });
  }, [remix, jobs, run]);

  const requestMove = useCallback((image: TImageView, move: EditMove) => {
    gate(image, moveLabel(move), (prompt) => callApi(endpoints.editImage, { params: { id: image.id }, body: { ...move, ...(prompt !== undefined && { prompt }) } }));
  }, [gate]);
  const requestVary = useCallback((image: TImageView, strength: "subtle" | "strong") => {
    gate(image, strength === "subtle" ? "Vary (Subtle)" : "Vary (Strong)", (prompt) =>
      callApi(endpoints.varyImage, { params: { id: image.id }, body: { strength, ...(prompt !== undefined && { prompt }) } }));
  }, [gate]);

  const remixDialog = pending && (
    <RemixDialog
      action={pending.action}
      initialPrompt={pending.initialPrompt}
      onClose={() => setPending(null)}
      onSubmit={async (prompt) => onJob(await pending.call(prompt === pending.initialPrompt.trim() ? undefined : prompt))}
    />
  );
  return { editImage, editUpload, requestMove, requestVary, remixDialog };
}
