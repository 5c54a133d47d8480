"use client";

import { useRef } from "react";
import type { TImagePromptRef } from "@/lib/schemas/jobs";
import type { TUpload } from "@/lib/schemas/uploads";

/** The image prompt the next job starts from: an upload or one of the user's results. */
export interface ImagePromptChoice {
  ref: TImagePromptRef;
  thumbUrl: string;
}

export const ACCEPTED_IMAGE_TYPES = "image/png,image/jpeg,image/webp";

/** Sends one file to POST /api/v1/uploads as its raw bytes; the server checks and re-encodes it. */
export async function uploadImage(file: File): Promise<ImagePromptChoice> {
  const response = await fetch("/api/v1/uploads", { method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
  const payload = (await response.json().catch(() => null)) as (TUpload & { error?: { message?: string } }) | null;
  if (!response.ok || !payload) throw new Error(payload?.error?.message ?? `The upload failed (${response.status}).`);
  return { ref: { uploadId: payload.id }, thumbUrl: payload.thumbUrl };
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
  onRemove: () => void;
}

/**
 * The image-prompt slot of the imagine bar: a button that opens the file
 * picker, and once an image is chosen its thumbnail with a remove button.
 * Dropping or pasting an image into the bar goes through the same onFile.
 */
export function ImagePromptButton({ value, busy, onFile, onRemove }: ImagePromptButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="flex items-center gap-1">
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
          <button type="button" onClick={onRemove} aria-label="Detach image" className="rounded px-1.5 text-ink-300 hover:bg-ink-700">
            ×
          </button>
        </span>
      ) : (
        <button
          type="button"
          onClick={() => input.current?.click()}
          disabled={busy}
          className="rounded-lg px-3 py-2 text-sm text-ink-300 hover:bg-ink-800 disabled:opacity-40"
          title="Start from an image (PNG, JPEG or WebP); --iw 0–3 sets how much it counts. You can also drop or paste one."
        >
          {busy ? "Uploading…" : "Image"}
        </button>
      )}
    </div>
  );
}
