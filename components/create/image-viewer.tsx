"use client";

import { useEffect, useRef } from "react";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { ImagePromptThumb } from "./image-prompt";
import type { ImageAction } from "./job-card";

interface ImageViewerProps {
  job: TJobView;
  image: TImageView;
  onClose: () => void;
  onStep: (delta: number) => void;
  onAction: (image: TImageView, action: ImageAction) => void;
  /** Makes this image the image prompt of the next job. */
  onUseImage: (image: TImageView) => void;
}

const RECIPE_LABELS: Array<[string, string]> = [
  ["model", "Model"],
  ["mode", "Pipeline"],
  ["scheduler", "Scheduler"],
  ["steps", "Steps"],
  ["guidance", "Guidance"],
  ["seed", "Seed"],
  ["strength", "Strength"],
  ["upscaleFactor", "Upscale"],
];

/** Large view of one image with its full recipe; Esc closes, arrows step through the grid. */
export function ImageViewer({ job, image, onClose, onStep, onAction, onUseImage }: ImageViewerProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialogRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
      else if (event.key === "ArrowRight") onStep(1);
      else if (event.key === "ArrowLeft") onStep(-1);
      else if (event.key.toLowerCase() === "v") onAction(image, event.shiftKey ? "vary-strong" : "vary-subtle");
      else if (event.key.toLowerCase() === "u") onAction(image, event.shiftKey ? "upscale-creative" : "upscale-subtle");
      else if (event.key.toLowerCase() === "e" && image.isDraft) onAction(image, "enhance");
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [image, onAction, onClose, onStep]);

  const scale = Math.max(1, Math.floor(640 / Math.max(image.width, image.height)));
  return (
    <div role="dialog" aria-modal="true" aria-label="Image" ref={dialogRef} tabIndex={-1} className="fixed inset-0 z-40 flex flex-col items-center justify-center gap-4 overflow-y-auto bg-ink-950/95 p-4 outline-none md:flex-row md:p-10">
      {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
      <img src={image.url} alt={job.prompt} width={image.width * scale} height={image.height * scale} className="max-h-[80vh] w-auto max-w-full rounded-lg object-contain [image-rendering:pixelated]" />
      <aside className="flex w-full max-w-sm flex-col gap-4 text-sm">
        <p className="text-ink-100">{job.prompt}</p>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
          <dt className="text-ink-500">Size</dt>
          <dd>{image.width}×{image.height}</dd>
          {RECIPE_LABELS.filter(([key]) => image.recipe[key] !== undefined).map(([key, label]) => (
            <div key={key} className="contents">
              <dt className="text-ink-500">{label}</dt>
              <dd>{String(image.recipe[key])}</dd>
            </div>
          ))}
          {job.imagePrompt && (
            <>
              <dt className="text-ink-500">Image prompt</dt>
              <dd className="flex items-center gap-2">
                <ImagePromptThumb imagePrompt={job.imagePrompt} className="h-10 w-10 rounded object-cover" />
                --iw {job.imagePrompt.weight}
              </dd>
            </>
          )}
          {typeof image.recipe.negativePrompt === "string" && image.recipe.negativePrompt && (
            <>
              <dt className="text-ink-500">No</dt>
              <dd>{image.recipe.negativePrompt}</dd>
            </>
          )}
        </dl>
        <div className="flex flex-wrap gap-2">
          <button type="button" onClick={() => onAction(image, "vary-subtle")} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Vary (Subtle)</button>
          <button type="button" onClick={() => onAction(image, "vary-strong")} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Vary (Strong)</button>
          <button type="button" onClick={() => onAction(image, "upscale-subtle")} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Upscale (Subtle)</button>
          <button type="button" onClick={() => onAction(image, "upscale-creative")} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Upscale (Creative)</button>
          {image.isDraft && <button type="button" onClick={() => onAction(image, "enhance")} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Enhance</button>}
          <button type="button" onClick={() => onUseImage(image)} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Use image</button>
          <a href={`${image.url}&download=1`} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Download</a>
        </div>
        <p className="text-xs text-ink-500">Keys: ← → step · V vary (⇧ strong) · U upscale (⇧ creative){image.isDraft ? " · E enhance" : ""} · Esc close</p>
        <button type="button" onClick={onClose} className="self-start rounded-md border border-ink-700 px-3 py-1.5">Close</button>
      </aside>
    </div>
  );
}
