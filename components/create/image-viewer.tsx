"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { apiUrl, callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TImageView, TJobView } from "@/lib/schemas/jobs";
import { apiKey, apiQuery } from "../query/api-query";
import { AddToMoodboard } from "../personalize/add-to-moodboard";
import { z } from "zod";
import { ZStyleRef } from "@/lib/prompt/style-reference";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";
import { Dialog, DialogClose } from "../ui/dialog";
import type { TEditRequest } from "@/lib/schemas/editor";
import { EditorDialog } from "../lazy-dialogs";
import { remixPromptOf, type EditMove } from "../editor/edit-moves";
import { OutpaintActions } from "../editor/outpaint-actions";
import { ImagePromptThumb } from "./image-prompt";
import type { ImageAction } from "./job-card";

interface ImageViewerProps {
  job: TJobView;
  image: TImageView;
  onClose: () => void;
  /** ← → : the next or previous image, across jobs at the ends of a grid. */
  onStep: (delta: number) => void;
  onAction: (image: TImageView, action: ImageAction) => void;
  /** Makes this image the image prompt of the next job. */
  onUseImage?: (image: TImageView) => void;
  /** Describe: four prompts for this image (docs/describe.md); absent when the model cannot describe. */
  onDescribe?: (image: TImageView) => void;
  /** Vary (Region) from the Editor; resolves once accepted, throws the refusal (docs/editor.md §7). */
  onEdit?: (image: TImageView, request: TEditRequest) => Promise<void>;
  /** Zoom Out, Pan, Make Square (through Remix when it is on). */
  onMove?: (image: TImageView, move: EditMove) => void;
}

const RECIPE_LABELS: Array<[string, string]> = [
  ["model", "Model"],
  ["mode", "Pipeline"],
  ["scheduler", "Scheduler"],
  ["steps", "Steps"],
  ["guidance", "Guidance"],
  ["seed", "Seed"],
  ["strength", "Strength"],
  ["upscaleFactor", "Upscale factor"],
];

/**
 * The best picture of `image` that has arrived: its thumbnail at once, then the
 * full-resolution file once it has loaded, then its upscale when one exists.
 */
function useBestSource(image: TImageView, upscaleUrl: string | null) {
  const [loaded, setLoaded] = useState<Record<string, true>>({});
  useEffect(() => {
    for (const url of [image.url, upscaleUrl]) {
      if (!url || loaded[url]) continue;
      const probe = new window.Image();
      probe.onload = () => setLoaded((current) => ({ ...current, [url]: true }));
      probe.src = url;
    }
  }, [image.url, upscaleUrl, loaded]);
  if (upscaleUrl && loaded[upscaleUrl]) return upscaleUrl;
  if (loaded[image.url]) return image.url;
  return image.thumbUrl;
}

/** The style codes a job's `--sref` used (`random` is recorded as the code it drew), so a liked look can be reused. */
function styleCodesOf(recipe: Record<string, unknown>): string[] {
  const refs = z.array(ZStyleRef).safeParse(recipe.styleRefs);
  return refs.success ? refs.data.filter((ref) => ref.kind === "code").map((ref) => ref.value) : [];
}

/**
 * A `--tile` image repeated 3×3, so its seams (or their absence) can be seen.
 * An SVG pattern scales like `object-contain` through its viewBox.
 */
function TiledPreview({ source, width, height, label }: { source: string; width: number; height: number; label: string }) {
  const patternId = `tile-${useId().replace(/[^\w-]/g, "")}`;
  return (
    <svg role="img" aria-label={label} data-testid="tiled-preview" viewBox={`0 0 ${3 * width} ${3 * height}`} preserveAspectRatio="xMidYMid meet" className="h-full w-full">
      <defs>
        <pattern id={patternId} width={width} height={height} patternUnits="userSpaceOnUse">
          <image href={source} width={width} height={height} />
        </pattern>
      </defs>
      <rect width={3 * width} height={3 * height} fill={`url(#${patternId})`} />
    </svg>
  );
}

/** Large view of one image: fills the screen, ✕ at the top, ← → between images, the actions as labelled buttons. */
export function ImageViewer({ job, image, onClose, onStep, onAction, onUseImage, onDescribe, onEdit, onMove }: ImageViewerProps) {
  const [isEditing, setEditing] = useState(false);
  const isTile = image.recipe.tile === true;
  const [isTiled, setTiled] = useState(false);
  const styleCodes = styleCodesOf(job.recipe);
  const queryClient = useQueryClient();
  const detail = useQuery({ ...apiQuery(endpoints.getImage, { params: { id: image.id } }), retry: false }).data;
  const upscale = detail?.lineage.children.find((child) => child.type === "upscale" && !child.removed);
  const upscaleUrl = upscale ? apiUrl(endpoints.imageFile, { params: { id: upscale.id }, query: { size: "full" } }) : null;
  const source = useBestSource(image, upscaleUrl);
  // A like clicked here, for this image, until the detail query has caught up.
  const [liked, setLiked] = useState<{ id: string; liked: boolean } | null>(null);
  const isLiked = (liked?.id === image.id ? liked.liked : undefined) ?? detail?.liked ?? false;

  async function toggleLike() {
    const result = await callApi(isLiked ? endpoints.unlikeImage : endpoints.likeImage, { params: { id: image.id } });
    setLiked({ id: image.id, liked: result.liked });
    void queryClient.invalidateQueries({ queryKey: apiKey(endpoints.getImage, { params: { id: image.id } }) });
  }

  useEffect(() => {
    // The Editor over this view has keys of its own.
    if (isEditing) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.tagName === "INPUT" || target?.tagName === "TEXTAREA") return;
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
  }, [image, onAction, onStep, isEditing]);

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
      className="fixed inset-0 z-50 flex h-dvh w-screen max-w-full flex-col overflow-hidden bg-ink-950 md:flex-row"
    >
      <div className="relative flex min-h-0 flex-1 items-center justify-center p-2 pt-12 md:p-8">
        {isTile && isTiled ? (
          <TiledPreview source={source} width={image.width} height={image.height} label={`${job.prompt}, repeated 3 × 3`} />
        ) : (
          // eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API
          <img
            src={source}
            alt={job.prompt}
            width={image.width}
            height={image.height}
            data-testid="viewer-image"
            className="h-full max-h-full w-full max-w-full object-contain [image-rendering:auto]"
          />
        )}
        <Button variant="secondary" size="icon" aria-label="Previous image" onClick={() => onStep(-1)} className="absolute left-2 top-1/2 -translate-y-1/2 opacity-80 hover:opacity-100">
          <span aria-hidden>←</span>
        </Button>
        <Button variant="secondary" size="icon" aria-label="Next image" onClick={() => onStep(1)} className="absolute right-2 top-1/2 -translate-y-1/2 opacity-80 hover:opacity-100">
          <span aria-hidden>→</span>
        </Button>
        <DialogClose asChild>
          <Button variant="secondary" size="icon" aria-label="Close" className="absolute right-2 top-2">
            <span aria-hidden>✕</span>
          </Button>
        </DialogClose>
      </div>
      <aside aria-label="Image details and actions" className="flex max-h-[42dvh] w-full shrink-0 flex-col gap-3 overflow-y-auto border-t border-ink-800 p-4 text-sm md:max-h-none md:w-96 md:border-l md:border-t-0">
        <p className="text-ink-100">{job.prompt}</p>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={() => onAction(image, "vary-subtle")}>Vary (Subtle)</Button>
          <Button size="sm" onClick={() => onAction(image, "vary-strong")}>Vary (Strong)</Button>
          <Button size="sm" onClick={() => onAction(image, "upscale-subtle")}>Upscale (Subtle)</Button>
          <Button size="sm" onClick={() => onAction(image, "upscale-creative")}>Upscale (Creative)</Button>
          {image.isDraft && <Button size="sm" onClick={() => onAction(image, "enhance")}>Enhance</Button>}
          {onEdit && <Button size="sm" onClick={() => setEditing(true)}>Vary (Region)</Button>}
          {onUseImage && <Button size="sm" variant="outline" onClick={() => onUseImage(image)}>Use image</Button>}
          {onDescribe && <Button size="sm" variant="outline" onClick={() => onDescribe(image)}>Describe</Button>}
          {isTile && (
            <Button size="sm" variant="outline" aria-pressed={isTiled} onClick={() => setTiled((on) => !on)}>
              Tiled preview
            </Button>
          )}
          <AddToMoodboard imageIds={[image.id]} />
          <Button size="sm" variant="outline" asChild>
            <a href={`${image.url}&download=1`}>Download</a>
          </Button>
          <Button size="sm" variant="outline" aria-pressed={isLiked} onClick={() => void toggleLike()}>
            <span aria-hidden className={isLiked ? "text-pink-300" : undefined}>{isLiked ? "♥" : "♡"}</span> Like
          </Button>
        </div>
        {onMove && <OutpaintActions isSquare={image.width === image.height} onMove={(move) => onMove(image, move)} />}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs">
          <dt className="text-ink-300">Size</dt>
          <dd>{upscale && source === upscaleUrl ? "upscaled" : `${image.width}×${image.height}`}</dd>
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
          {styleCodes.map((code) => (
            <div key={code} className="contents">
              <dt className="text-ink-300">Style code</dt>
              <dd className="flex flex-wrap items-center gap-2">
                <code>{code}</code>
                <CopyButton size="xs" variant="outline" text={`--sref ${code}`} aria-label={`Copy --sref ${code}`}>
                  Copy
                </CopyButton>
              </dd>
            </div>
          ))}
          {typeof image.recipe.negativePrompt === "string" && image.recipe.negativePrompt && (
            <>
              <dt className="text-ink-300">No</dt>
              <dd>{image.recipe.negativePrompt}</dd>
            </>
          )}
        </dl>
        {isEditing && onEdit && (
          <EditorDialog
            target={{ url: image.url, alt: job.prompt, width: image.width, height: image.height, prompt: remixPromptOf(job) }}
            onClose={() => setEditing(false)}
            onSubmit={(request) => onEdit(image, request)}
          />
        )}
        <p className="hidden text-xs text-ink-300 md:block">Keys: ← → step · V vary (⇧ strong) · U upscale (⇧ creative){image.isDraft ? " · E enhance" : ""} · Esc close</p>
      </aside>
    </Dialog>
  );
}
