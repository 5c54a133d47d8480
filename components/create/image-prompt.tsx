"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { ApiError, callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { apiQuery } from "../query/api-query";
import { Button } from "../ui/button";
import { Popover, PopoverClose, PopoverContent, PopoverTrigger } from "../ui/popover";
import { Tooltip } from "../ui/tooltip";
import type { TImagePromptRef } from "@/lib/schemas/jobs";
import type { TUpload } from "@/lib/schemas/uploads";

/** The image prompt the next job starts from: an upload or one of the user's results. */
export interface ImagePromptChoice {
  ref: TImagePromptRef;
  thumbUrl: string;
}

export const ACCEPTED_IMAGE_TYPES = "image/png,image/jpeg,image/webp";

/**
 * The image prompt a job was made from, small. The upload or image may have
 * been deleted since (its file then answers 404): say so instead of showing
 * a broken image.
 */
export function ImagePromptThumb({ imagePrompt, className }: { imagePrompt: { thumbUrl: string; weight: number }; className: string }) {
  const [missing, setMissing] = useState(false);
  if (missing) return <span className="text-xs text-ink-300">(image prompt deleted) --iw {imagePrompt.weight}</span>;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API
    <img src={imagePrompt.thumbUrl} alt="Image prompt" title={`Image prompt, --iw ${imagePrompt.weight}`} onError={() => setMissing(true)} className={className} />
  );
}

/** The choice a finished job's image prompt amounts to, to use it again ("Use prompt"). */
export function choiceFromJob(imagePrompt: { uploadId?: string; imageId?: string; thumbUrl: string } | null): ImagePromptChoice | null {
  if (!imagePrompt) return null;
  const ref = imagePrompt.uploadId ? { uploadId: imagePrompt.uploadId } : imagePrompt.imageId ? { imageId: imagePrompt.imageId } : null;
  return ref && { ref, thumbUrl: imagePrompt.thumbUrl };
}

/** Sends one file to POST /api/v1/uploads as its raw bytes; the server checks and re-encodes it. */
export async function uploadImage(file: File): Promise<ImagePromptChoice> {
  try {
    const upload = await callApi(endpoints.createUpload, { file });
    return { ref: { uploadId: upload.id }, thumbUrl: upload.thumbUrl };
  } catch (error) {
    // Without the API's own message (a proxy refused the body, say), name the status.
    if (error instanceof ApiError && error.code === undefined) throw new Error(`The upload failed (${error.status}).`);
    throw error;
  }
}

/** The first image file of a drop or paste, if any. */
export function imageFileOf(items: DataTransfer | null): File | null {
  if (!items) return null;
  return [...items.files].find((file) => file.type.startsWith("image/")) ?? null;
}

interface ImagePromptButtonProps {
  value: ImagePromptChoice | null;
  busy: boolean;
  onFile: (file: File) => void;
  /** An earlier upload picked from the recent list. */
  onPick: (value: ImagePromptChoice) => void;
  onRemove: () => void;
  /** Opens the Editor on one of the recent uploads. */
  onEditUpload?: (upload: TUpload) => void;
  /** Turns the attached image into a style reference (`--sref`) instead of an image prompt. */
  onUseAsStyle?: () => void;
}

/**
 * The user's recent uploads (GET /api/v1/uploads): pick one to start from
 * again, or delete it (uploads count towards a per-user limit).
 */
function RecentUploads({ onPick, onDeleted, onEdit }: { onPick: (value: ImagePromptChoice) => void; onDeleted: (id: string) => void; onEdit?: (upload: TUpload) => void }) {
  const queryClient = useQueryClient();
  const uploadsQuery = apiQuery(endpoints.listUploads);
  const { data, error: loadError } = useQuery(uploadsQuery);
  const uploads = data?.uploads ?? null;
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const error = deleteError ?? loadError?.message ?? null;
  async function remove(id: string) {
    await callApi(endpoints.deleteUpload, { params: { id } }).then(
      () => {
        onDeleted(id);
        return queryClient.invalidateQueries({ queryKey: uploadsQuery.queryKey });
      },
      (caught: Error) => setDeleteError(caught.message),
    );
  }
  return (
    <PopoverContent aria-label="Recent uploads" align="end" className="w-72">
      <div className="mb-2 flex items-center justify-between text-ink-300">
        <span>Recent uploads</span>
        <PopoverClose asChild>
          <Button variant="ghost" size="xs" aria-label="Close recent uploads">×</Button>
        </PopoverClose>
      </div>
      {error && <p role="alert" className="text-red-300">{error}</p>}
      {uploads?.length === 0 && <p className="text-ink-300">Nothing uploaded yet.</p>}
      <ul className="grid grid-cols-4 gap-2">
        {uploads?.map((upload) => (
          <li key={upload.id} className="group relative">
            <button type="button" onClick={() => onPick({ ref: { uploadId: upload.id }, thumbUrl: upload.thumbUrl })} aria-label={`Start from the upload of ${new Date(upload.createdAt).toLocaleString()}`} className="block overflow-hidden rounded">
              {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
              <img src={upload.thumbUrl} alt="" className="aspect-square w-full object-cover" />
            </button>
            <button type="button" onClick={() => void remove(upload.id)} aria-label="Delete this upload" className="absolute right-0 top-0 hidden rounded bg-ink-950/80 px-1 text-ink-100 group-hover:block group-focus-within:block">
              ×
            </button>
            {onEdit && (
              // The Editor (Vary Region, Zoom Out, Pan, Make Square) works on uploads too (docs/editor.md §7).
              <button type="button" onClick={() => onEdit(upload)} aria-label="Edit this upload" className="absolute bottom-0 left-0 hidden rounded bg-ink-950/80 px-1 text-xs text-ink-100 group-hover:block group-focus-within:block">
                Edit
              </button>
            )}
          </li>
        ))}
      </ul>
    </PopoverContent>
  );
}

/**
 * The image-prompt slot of the imagine bar: a button that opens the file
 * picker, and once an image is chosen its thumbnail with a remove button.
 * Dropping or pasting an image into the bar goes through the same onFile.
 */
export function ImagePromptButton({ value, busy, onFile, onPick, onRemove, onEditUpload, onUseAsStyle }: ImagePromptButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const [showRecent, setShowRecent] = useState(false);
  return (
    <div className="relative flex items-center gap-1">
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_IMAGE_TYPES}
        className="sr-only"
        aria-label="Image to start from"
        data-testid="image-prompt-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = "";
          if (file) onFile(file);
        }}
      />
      {value ? (
        <span className="flex items-center gap-1 rounded-lg bg-ink-800 p-1" data-testid="image-prompt-chip">
          {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
          <img src={value.thumbUrl} alt="Image prompt" className="h-8 w-8 rounded object-cover" />
          {onUseAsStyle && (
            <Tooltip content="Use this image's style, not its content: it goes into the prompt as --sref (--sw 0–1000 sets how much).">
              <button type="button" onClick={onUseAsStyle} className="rounded px-1.5 text-xs text-ink-300 hover:bg-ink-700">
                Use as style
              </button>
            </Tooltip>
          )}
          <button type="button" onClick={onRemove} aria-label="Detach image" className="rounded px-1.5 text-ink-300 hover:bg-ink-700">
            ×
          </button>
        </span>
      ) : (
        <Tooltip content="Start from an image (PNG, JPEG or WebP); --iw 0–3 sets how much it counts. You can also drop or paste one.">
          <Button variant="ghost" size="lg" onClick={() => input.current?.click()} disabled={busy}>
            {busy ? "Uploading…" : "Image"}
          </Button>
        </Tooltip>
      )}
      <Popover open={showRecent} onOpenChange={setShowRecent}>
        <PopoverTrigger asChild>
          <Button variant="ghost" size="icon" aria-label="Recent uploads">
            ▾
          </Button>
        </PopoverTrigger>
        {showRecent && (
          <RecentUploads
            onPick={(picked) => {
              onPick(picked);
              setShowRecent(false);
            }}
            onEdit={onEditUpload && ((upload) => {
              setShowRecent(false);
              onEditUpload(upload);
            })}
            onDeleted={(id) => {
              // The attached image is gone: the next job must not ask for it.
              if (value?.ref.uploadId === id) onRemove();
            }}
          />
        )}
      </Popover>
    </div>
  );
}
