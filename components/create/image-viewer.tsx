"use client";

import { useEffect } from "react";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";
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

/** Large view of one image with its full recipe; Esc closes (the dialog's own), arrows step through the grid. */
export function ImageViewer({ job, image, onClose, onStep, onAction, onUseImage }: ImageViewerProps) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "ArrowRight") onStep(1);
      else if (event.key === "ArrowLeft") onStep(-1);
      else if (event.key.toLowerCase() === "v") onAction(image, event.shiftKey ? "vary-strong" : "vary-subtle");
      else if (event.key.toLowerCase() === "u") onAction(image, event.shiftKey ? "upscale-creative" : "upscale-subtle");
      else if (event.key.toLowerCase() === "e" && image.isDraft) onAction(image, "enhance");
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [image, onAction, onStep]);

  const scale = Math.max(1, Math.floor(640 / Math.max(image.width, image.height)));
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Image"
      hideTitle
      // Focus starts on the dialog itself, so Enter never fires an action by accident; Tab goes to the actions.
      onOpenAutoFocus={(event) => {
        event.preventDefault();
        (event.currentTarget as HTMLElement | null)?.focus();
      }}
      className="fixed inset-0 z-50 flex flex-col items-center justify-center gap-4 overflow-y-auto bg-ink-950/95 p-4 md:flex-row md:p-10"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
      <img src={image.url} alt={job.prompt} width={image.width * scale} height={image.height * scale} className="max-h-[80vh] w-auto max-w-full rounded-lg object-contain [image-rendering:pixelated]" />
      <aside className="flex w-full max-w-sm flex-col gap-4 text-sm">
        <p className="text-ink-100">{job.prompt}</p>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
          <dt className="text-ink-300">Size</dt>
          <dd>{image.width}×{image.height}</dd>
          {RECIPE_LABELS.filter(([key]) => image.recipe[key] !== undefined).map(([key, label]) => (
            <div key={key} className="contents">
              <dt className="text-ink-300">{label}</dt>
              <dd>{String(image.recipe[key])}</dd>
            </div>
          ))}
          {job.imagePrompt && (
            <>
              <dt className="text-ink-300">Image prompt</dt>
              <dd className="flex items-center gap-2">
                <ImagePromptThumb imagePrompt={job.imagePrompt} className="h-10 w-10 rounded object-cover" />
                --iw {job.imagePrompt.weight}
              </dd>
            </>
          )}
          {typeof image.recipe.negativePrompt === "string" && image.recipe.negativePrompt && (
            <>
              <dt className="text-ink-300">No</dt>
              <dd>{image.recipe.negativePrompt}</dd>
            </>
          )}
        </dl>
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => onAction(image, "vary-subtle")}>Vary (Subtle)</Button>
          <Button onClick={() => onAction(image, "vary-strong")}>Vary (Strong)</Button>
          <Button onClick={() => onAction(image, "upscale-subtle")}>Upscale (Subtle)</Button>
          <Button onClick={() => onAction(image, "upscale-creative")}>Upscale (Creative)</Button>
          {image.isDraft && <Button onClick={() => onAction(image, "enhance")}>Enhance</Button>}
          <Button onClick={() => onUseImage(image)}>Use image</Button>
          <Button asChild>
            <a href={`${image.url}&download=1`}>Download</a>
          </Button>
        </div>
        <p className="text-xs text-ink-300">Keys: ← → step · V vary (⇧ strong) · U upscale (⇧ creative){image.isDraft ? " · E enhance" : ""} · Esc close</p>
        <DialogClose asChild>
          <Button variant="outline" className="self-start">Close</Button>
        </DialogClose>
      </aside>
    </Dialog>
  );
}
