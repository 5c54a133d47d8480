"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { TImageDetail } from "@/lib/schemas/gallery";
import { JOB_SOURCE_LABELS } from "@/lib/jobs/model";
import type { TEditRequest } from "@/lib/schemas/editor";
import { EditorDialog } from "../lazy-dialogs";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";
import { Dialog, DialogClose } from "../ui/dialog";

/** The recipe's fields as a person reads them. */
const RECIPE_LABELS: Record<string, string> = {
  model: "Model",
  scheduler: "Scheduler",
  steps: "Steps",
  guidance: "Guidance",
  seed: "Seed",
  width: "Width",
  height: "Height",
  strength: "Strength",
  upscaleFactor: "Upscale factor",
};

/**
 * The large view of one image: its exact recipe, lineage (walkable; deleted
 * images show as removed) and actions. A teammate's image (seen through a
 * team folder, `addedBy` set) is read-only: who added it, its recipe, and
 * the reading actions (use its prompt or seed, download); the API refuses the
 * rest with a 403, so the buttons are not offered.
 */
export function ImageDetailPanel({ detail, onClose, onOpen, onLike }: { detail: TImageDetail; onClose: () => void; onOpen: (id: string) => void; onLike: () => void }) {
  const router = useRouter();
  /** Same recipe and seeds again; the result appears at the top of the Create feed. */
  async function rerunExactly() {
    await callApi(endpoints.rerunJob, { params: { id: detail.jobId }, body: { exact: true } });
    router.push("/create");
  }
  const [actionError, setActionError] = useState<string | null>(null);
  /** Vary or Upscale this image; the new job appears at the top of the Create feed. */
  async function derive(action: "vary-subtle" | "vary-strong" | "upscale-subtle" | "upscale-creative") {
    const id = detail.id;
    setActionError(null);
    try {
      if (action === "vary-subtle" || action === "vary-strong") await callApi(endpoints.varyImage, { params: { id }, body: { strength: action === "vary-subtle" ? "subtle" : "strong" } });
      else await callApi(endpoints.upscaleImage, { params: { id }, body: { kind: action === "upscale-subtle" ? "subtle" : "creative" } });
      router.push("/create");
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    }
  }
  const [isEditing, setEditing] = useState(false);
  /** Vary (Region) from the Editor; the four results appear at the top of the Create feed. */
  async function submitEdit(request: TEditRequest) {
    await callApi(endpoints.editImage, { params: { id: detail.id }, body: request });
    router.push("/create");
  }
  const recipeRows = Object.keys(RECIPE_LABELS).filter((key) => detail.recipe[key] !== undefined);
  const owner = detail.addedBy;
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Image details"
      hideTitle
      className="fixed inset-0 z-50 flex flex-col items-center gap-6 overflow-y-auto bg-ink-950/95 p-4 md:flex-row md:items-start md:p-10"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
      <img src={detail.url} alt={detail.prompt} className="h-auto max-h-[80vh] rounded-lg object-contain [image-rendering:pixelated]" style={{ aspectRatio: `${detail.width} / ${detail.height}`, width: "min(640px, 90vw)" }} />
      <aside className="flex w-full max-w-sm flex-col gap-4 text-sm">
        <p>{detail.prompt}</p>
        {owner !== undefined && (
          <p className="rounded-md border border-ink-700 bg-ink-900 px-3 py-2 text-xs text-ink-300">
            <span className="font-medium text-ink-100">Added by {owner}</span> to a team folder. You can view and download it; only {owner} can vary, upscale, edit or like it.
          </p>
        )}
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs" aria-label="Recipe">
          <dt className="text-ink-300">Type</dt>
          <dd>{detail.type}{detail.isDraft ? " (draft)" : ""}</dd>
          <dt className="text-ink-300">Made with</dt>
          <dd>{JOB_SOURCE_LABELS[detail.source]}</dd>
          {recipeRows.map((key) => (
            <div key={key} className="contents">
              <dt className="text-ink-300">{RECIPE_LABELS[key]}</dt>
              <dd>{String(detail.recipe[key])}</dd>
            </div>
          ))}
        </dl>
        {owner !== undefined ? (
          <p className="text-xs text-ink-300">Its lineage is {owner}&rsquo;s and is not shared.</p>
        ) : (
          <section aria-label="Lineage" className="flex flex-col gap-2">
            <h2 className="text-xs text-ink-300">Made from</h2>
            <div className="flex flex-wrap gap-1">
              {detail.lineage.ancestors.length === 0 && <span className="text-xs text-ink-300">an imagine prompt</span>}
              {detail.lineage.ancestors.map((node, index) =>
                node.removed ? (
                  <span key={`removed-${index}`} className="rounded bg-ink-800 px-2 py-1 text-xs text-ink-300">removed image</span>
                ) : (
                  <Button key={node.id} size="xs" onClick={() => onOpen(node.id)}><LineageThumb url={node.thumbUrl} />{node.type}</Button>
                ),
              )}
            </div>
            <h2 className="text-xs text-ink-300">Made from this</h2>
            <div className="flex flex-wrap gap-1">
              {detail.lineage.children.length === 0 && <span className="text-xs text-ink-300">nothing yet</span>}
              {detail.lineage.children.map((node) =>
                node.removed ? (
                  <span key={node.id} className="rounded bg-ink-800 px-2 py-1 text-xs text-ink-300">{node.type} (removed)</span>
                ) : (
                  <Button key={node.id} size="xs" onClick={() => onOpen(node.id)}><LineageThumb url={node.thumbUrl} />{node.type}</Button>
                ),
              )}
            </div>
          </section>
        )}
        <div className="flex flex-wrap gap-2">
          {actionError && <p role="alert" className="w-full text-xs text-red-300">{actionError}</p>}
          {owner === undefined && (
            <>
              <Button onClick={() => void derive("vary-subtle")}>Vary (Subtle)</Button>
              <Button onClick={() => void derive("vary-strong")}>Vary (Strong)</Button>
              <Button onClick={() => void derive("upscale-subtle")}>Upscale (Subtle)</Button>
              <Button onClick={() => void derive("upscale-creative")}>Upscale (Creative)</Button>
              <Button onClick={() => setEditing(true)}>Vary (Region)</Button>
              <Button onClick={onLike} aria-pressed={detail.liked}>{detail.liked ? "♥ Liked" : "♡ Like"}</Button>
            </>
          )}
          <Button asChild>
            <Link href={`/create?prompt=${encodeURIComponent(detail.prompt)}`}>Use prompt</Link>
          </Button>
          <Button asChild>
            <Link href={`/create?prompt=${encodeURIComponent(`${detail.prompt} --seed ${detail.seed}`)}`}>Use seed</Link>
          </Button>
          {owner === undefined && (
            <>
              <Button asChild>
                <Link href={`/create?image=${encodeURIComponent(detail.id)}`}>Use image</Link>
              </Button>
              <Button onClick={() => void rerunExactly()}>Rerun exactly</Button>
            </>
          )}
          <Button asChild>
            <a href={`${detail.url}&download=1`} download>Download</a>
          </Button>
        </div>
        <DialogClose asChild>
          <Button variant="outline" className="self-start">Close</Button>
        </DialogClose>
      </aside>
      {isEditing && (
        <EditorDialog target={{ url: detail.url, alt: detail.prompt, width: detail.width, height: detail.height, prompt: detail.prompt }} onClose={() => setEditing(false)} onSubmit={submitEdit} />
      )}
    </Dialog>
  );
}

/** A lineage step's thumbnail, decoration beside its type (the button is named by the type). */
function LineageThumb({ url }: { url: string | null }) {
  if (!url) return null;
  // eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API
  return <img src={url} alt="" width={24} height={24} className="mr-1.5 inline-block h-6 w-6 rounded object-cover align-middle" />;
}
