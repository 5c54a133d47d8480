"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { GALLERY_TYPES, type TGalleryImage, type TImageDetail } from "@/lib/schemas/gallery";
import { apiFetch } from "../api-fetch";

const ROW_HEIGHT = 180;
const FILTER_KEYS = ["q", "type", "ar", "liked"] as const;

/** Organize: every image the user made, searchable, filterable, with likes and a detail view. The URL holds the filters. */
export function Gallery() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filterString = FILTER_KEYS.flatMap((key) => (searchParams.get(key) ? [`${key}=${encodeURIComponent(searchParams.get(key) ?? "")}`] : [])).join("&");
  const [images, setImages] = useState<TGalleryImage[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<TImageDetail | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  // A request in flight (a ref, so starting one does not re-render).
  const loading = useRef(false);

  const loadMore = useCallback(
    async (after: string) => {
      if (loading.current) return;
      loading.current = true;
      try {
        const page = await apiFetch<{ images: TGalleryImage[]; nextCursor: string | null }>(`/api/v1/images?${filterString}&cursor=${after}`);
        setImages((current) => [...current, ...page.images]);
        setCursor(page.nextCursor);
        setError(null);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      } finally {
        loading.current = false;
        setLoading(false);
      }
    },
    [filterString],
  );

  // A new filter starts a new list (the URL changed, so did filterString).
  useEffect(() => {
    let isCurrent = true;
    apiFetch<{ images: TGalleryImage[]; nextCursor: string | null }>(`/api/v1/images?${filterString}`).then(
      (page) => {
        if (!isCurrent) return;
        setImages(page.images);
        setCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!isCurrent) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [filterString]);

  // Infinite scroll: the next page loads when the end of the grid comes into view.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !cursor) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void loadMore(cursor);
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [cursor, loadMore]);

  function setFilter(key: (typeof FILTER_KEYS)[number], value: string | null) {
    const next = new URLSearchParams(searchParams.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next.toString()}`);
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter("q", String(new FormData(event.currentTarget).get("q") ?? "").trim() || null);
  }

  async function toggleLike(image: TGalleryImage) {
    const { liked } = await apiFetch<{ liked: boolean }>(`/api/v1/images/${image.id}/like`, { method: image.liked ? "DELETE" : "POST", body: image.liked ? undefined : {} });
    setImages((current) => current.map((existing) => (existing.id === image.id ? { ...existing, liked } : existing)));
    setDetail((current) => (current?.id === image.id ? { ...current, liked } : current));
  }

  async function open(id: string) {
    setDetail(await apiFetch<TImageDetail>(`/api/v1/images/${id}`));
  }

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <form onSubmit={onSearch} role="search" className="flex gap-2">
          <label htmlFor="gallery-search" className="sr-only">Search prompts</label>
          <input key={searchParams.get("q") ?? ""} id="gallery-search" name="q" type="search" defaultValue={searchParams.get("q") ?? ""} placeholder="Search prompts"
            className="w-64 rounded-lg border border-ink-700 bg-ink-900 px-3 py-1.5 text-sm" />
          <button type="submit" className="rounded-lg border border-ink-700 px-3 py-1.5 text-sm hover:bg-ink-800">Search</button>
        </form>
        <label className="flex items-center gap-1 text-sm text-ink-300">
          Type
          <select value={searchParams.get("type") ?? ""} onChange={(event) => setFilter("type", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
            <option value="">all</option>
            {GALLERY_TYPES.map((type) => <option key={type} value={type}>{type}</option>)}
          </select>
        </label>
        <label className="flex items-center gap-1 text-sm text-ink-300">
          Aspect
          <select value={searchParams.get("ar") ?? ""} onChange={(event) => setFilter("ar", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
            <option value="">all</option>
            {["1:1", "4:3", "3:4", "3:2", "2:3", "16:9", "9:16"].map((ar) => <option key={ar} value={ar}>{ar}</option>)}
          </select>
        </label>
        <label className="flex items-center gap-1.5 text-sm text-ink-300">
          <input type="checkbox" checked={Boolean(searchParams.get("liked"))} onChange={(event) => setFilter("liked", event.target.checked ? "1" : null)} />
          Liked
        </label>
      </div>
      {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
      {!isLoading && images.length === 0 && <p className="text-sm text-ink-500">No images match. Make some on the Create page.</p>}
      <ul className="flex flex-wrap gap-1.5" aria-label="Images">
        {images.map((image) => {
          const ratio = image.width / image.height;
          return (
            <li key={image.id} data-testid="gallery-image" className="group relative overflow-hidden rounded-md bg-ink-900" style={{ flexGrow: ratio, flexBasis: `${ratio * ROW_HEIGHT}px`, height: ROW_HEIGHT }}>
              <button type="button" onClick={() => void open(image.id)} className="block h-full w-full" aria-label={`Open: ${image.prompt}`}>
                {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
                <img src={image.thumbUrl} alt={image.prompt} loading="lazy" decoding="async" className="h-full w-full object-cover" />
              </button>
              <button type="button" onClick={() => void toggleLike(image)} aria-pressed={image.liked} aria-label={image.liked ? "Unlike" : "Like"}
                className={`absolute right-1.5 top-1.5 rounded-full bg-ink-950/70 px-2 py-1 text-xs ${image.liked ? "text-pink-300" : "text-ink-300 opacity-0 group-hover:opacity-100 focus:opacity-100"}`}>
                {image.liked ? "♥" : "♡"}
              </button>
            </li>
          );
        })}
        {/* keeps the last row from stretching */}
        <li aria-hidden className="grow-[10]" />
      </ul>
      <div ref={sentinel} className="h-8" />
      {isLoading && <p className="text-sm text-ink-500">Loading…</p>}
      {detail && <ImageDetailPanel detail={detail} onClose={() => setDetail(null)} onOpen={(id) => void open(id)} onLike={() => void toggleLike(detail)} />}
    </div>
  );
}

function ImageDetailPanel({ detail, onClose, onOpen, onLike }: { detail: TImageDetail; onClose: () => void; onOpen: (id: string) => void; onLike: () => void }) {
  const router = useRouter();
  /** Same recipe and seeds again; the result appears at the top of the Create feed. */
  async function rerunExactly() {
    await apiFetch(`/api/v1/jobs/${detail.jobId}/rerun`, { method: "POST", body: { exact: true } });
    router.push("/create");
  }
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const recipeRows = ["model", "scheduler", "steps", "guidance", "seed", "width", "height", "strength", "upscaleFactor"].filter((key) => detail.recipe[key] !== undefined);
  return (
    <div role="dialog" aria-modal="true" aria-label="Image details" className="fixed inset-0 z-40 flex flex-col items-center gap-6 overflow-y-auto bg-ink-950/95 p-4 md:flex-row md:items-start md:p-10">
      {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
      <img src={detail.url} alt={detail.prompt} className="h-auto max-h-[80vh] rounded-lg object-contain [image-rendering:pixelated]" style={{ aspectRatio: `${detail.width} / ${detail.height}`, width: "min(640px, 90vw)" }} />
      <aside className="flex w-full max-w-sm flex-col gap-4 text-sm">
        <p>{detail.prompt}</p>
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs" aria-label="Recipe">
          <dt className="text-ink-500">Type</dt>
          <dd>{detail.type}{detail.isDraft ? " (draft)" : ""}</dd>
          {recipeRows.map((key) => (
            <div key={key} className="contents">
              <dt className="text-ink-500">{key}</dt>
              <dd>{String(detail.recipe[key])}</dd>
            </div>
          ))}
        </dl>
        <section aria-label="Lineage" className="flex flex-col gap-2">
          <h2 className="text-xs text-ink-500">Made from</h2>
          <div className="flex flex-wrap gap-1">
            {detail.lineage.ancestors.length === 0 && <span className="text-xs text-ink-500">an imagine prompt</span>}
            {detail.lineage.ancestors.map((node) =>
              node.removed ? (
                <span key={node.id} className="rounded bg-ink-800 px-2 py-1 text-xs text-ink-500">removed image</span>
              ) : (
                <button key={node.id} type="button" onClick={() => onOpen(node.id)} className="rounded bg-ink-800 px-2 py-1 text-xs hover:bg-ink-700">{node.type}</button>
              ),
            )}
          </div>
          <h2 className="text-xs text-ink-500">Made from this</h2>
          <div className="flex flex-wrap gap-1">
            {detail.lineage.children.length === 0 && <span className="text-xs text-ink-500">nothing yet</span>}
            {detail.lineage.children.map((node) => (
              <button key={node.id} type="button" onClick={() => onOpen(node.id)} disabled={node.removed} className="rounded bg-ink-800 px-2 py-1 text-xs hover:bg-ink-700">{node.type}</button>
            ))}
          </div>
        </section>
        <div className="flex flex-wrap gap-2">
          <button type="button" onClick={onLike} aria-pressed={detail.liked} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">{detail.liked ? "♥ Liked" : "♡ Like"}</button>
          <Link href={`/create?prompt=${encodeURIComponent(detail.prompt)}`} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Use prompt</Link>
          <Link href={`/create?prompt=${encodeURIComponent(`${detail.prompt} --seed ${detail.seed}`)}`} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Use seed</Link>
          <button type="button" onClick={() => void rerunExactly()} className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Rerun exactly</button>
          <a href={`${detail.url}&download=1`} download className="rounded-md bg-ink-800 px-3 py-1.5 hover:bg-ink-700">Download</a>
        </div>
        <button type="button" onClick={onClose} className="self-start rounded-md border border-ink-700 px-3 py-1.5">Close</button>
      </aside>
    </div>
  );
}
