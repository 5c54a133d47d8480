"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from "react";
import type { TFolder, TGalleryImage, TImageDetail } from "@/lib/schemas/gallery";
import { GALLERY_TYPES } from "@/lib/schemas/gallery-types";
import { hashKey, infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiRequest, callApi } from "@/lib/api/client";
import type { QueryInput } from "@/lib/api/contract";
import { endpoints } from "@/lib/api/endpoints";
import { apiKey, apiQuery } from "../query/api-query";
import { AddToMoodboard } from "../personalize/add-to-moodboard";
import { Button } from "../ui/button";
import { useToast } from "../ui/toast";
import { FolderSidebar } from "./folder-sidebar";
import { ImageDetailPanel } from "./image-detail-panel";

const ROW_HEIGHT = 180;
/** Everything a view is made of lives in the URL, so any view can be bookmarked. */
const SEARCH_KEYS = ["q", "type", "ar", "liked", "from", "to", "model", "personalized"] as const;
const FILTER_KEYS = [...SEARCH_KEYS, "folder"] as const;
type TFilterKey = (typeof FILTER_KEYS)[number];
/** How long the undo toast shows (the server keeps deleted images restorable for 30 s). */
const UNDO_TOAST_MS = 10_000;
const NO_FOLDERS: TFolder[] = [];
const NO_MODELS: string[] = [];
const NO_IMAGES: TGalleryImage[] = [];

/** The API query for a view's filters, as the URL holds them (`q=…&type=…`); the API validates them. */
function filtersOf(filterString: string) {
  return Object.fromEntries(new URLSearchParams(filterString)) as QueryInput<typeof endpoints.listImages>;
}

/** Organize: every image the user made, searchable, filterable, in folders, with likes, bulk actions and a detail view. */
export function Gallery() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filterString = FILTER_KEYS.flatMap((key) => (searchParams.get(key) ? [`${key}=${encodeURIComponent(searchParams.get(key) ?? "")}`] : [])).join("&");
  const folderId = searchParams.get("folder");
  const [actionError, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<TImageDetail | null>(null);
  const queryClient = useQueryClient();
  const folderList = useQuery(apiQuery(endpoints.listFolders)).data;
  const folders = folderList?.folders ?? NO_FOLDERS;
  const team = folderList?.team ?? null;
  const models = useQuery({ ...apiQuery(endpoints.listModels), select: (list) => list.models.map((model) => model.id) }).data ?? NO_MODELS;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const showToast = useToast();
  const [isSaving, setSaving] = useState(false);
  /** The phone's filter panel: null = open only while a filter is set. */
  const [filtersOpen, setFiltersOpen] = useState<boolean | null>(null);
  const anchor = useRef<number | null>(null);
  const focused = useRef<number | null>(null);
  const grid = useRef<HTMLUListElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const currentFolder = folders.find((folder) => folder.id === folderId) ?? null;

  // Refetching cancels a folder list still on its way, so an older answer never brings back a deleted folder.
  const loadFolders = useCallback(() => void queryClient.invalidateQueries({ queryKey: apiKey(endpoints.listFolders) }), [queryClient]);

  // The images of this view, a page at a time (infinite scroll). Another view keeps the last one on screen until its first page arrives.
  const imagesQuery = infiniteQueryOptions({
    queryKey: [...apiKey(endpoints.listImages), filterString],
    queryFn: ({ pageParam, signal }) => callApi(endpoints.listImages, { query: { ...filtersOf(filterString), ...(pageParam !== null && { cursor: pageParam }) }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const { data: imagePages, error: listError, isPending: isLoading, hasNextPage, isFetchingNextPage, isPlaceholderData, fetchNextPage } = useInfiniteQuery(imagesQuery);
  const images = useMemo(() => imagePages?.pages.flatMap((page) => page.images) ?? NO_IMAGES, [imagePages]);
  const error = actionError ?? listError?.message ?? null;
  const imagesKey = imagesQuery.queryKey;
  // Another view (folder, search, filters, back and forward) starts another selection, at once; a background
  // refresh of the same view keeps it (it used to clear a selection made on the cached list a moment before).
  const imagesHash = hashKey(imagesKey);
  const [selectionView, setSelectionView] = useState(imagesHash);
  if (selectionView !== imagesHash) {
    setSelectionView(imagesHash);
    setSelected(new Set());
  }
  useEffect(() => {
    anchor.current = null;
  }, [imagesHash]);
  /** Changes the loaded images in place (a like, a removal) without asking the server again. */
  const setImages = useCallback(
    (update: (images: TGalleryImage[]) => TGalleryImage[]) =>
      queryClient.setQueryData(imagesKey, (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, images: update(page.images) })) }),
    [queryClient, imagesKey],
  );
  /** The list again from its first page (after an undo), the old one on screen until it arrives. */
  const reloadImages = () => {
    setSelected(new Set());
    anchor.current = null;
    queryClient.setQueryData(imagesKey, (data) => data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) });
    void queryClient.invalidateQueries({ queryKey: imagesKey });
  };

  // Infinite scroll: the next page loads when the end of the grid comes into view.
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasNextPage || isPlaceholderData || isFetchingNextPage) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) void fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasNextPage, isPlaceholderData, isFetchingNextPage, fetchNextPage]);

  // Page-wide keys: Escape clears the selection, Ctrl/Cmd+A selects every loaded image (outside text fields).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) return;
      if (detail) return;
      if (event.key === "Escape") {
        setSelected(new Set());
        anchor.current = null;
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
        event.preventDefault();
        setSelected(new Set(images.map((image) => image.id)));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [detail, images]);

  function navigate(values: Partial<Record<TFilterKey, string | null>>, replaceAll = false) {
    const next = new URLSearchParams(replaceAll ? "" : searchParams.toString());
    for (const [key, value] of Object.entries(values)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname);
  }
  const setFilter = (key: TFilterKey, value: string | null) => navigate({ [key]: value });

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter("q", String(new FormData(event.currentTarget).get("q") ?? "").trim() || null);
  }

  const searchQuery = Object.fromEntries(SEARCH_KEYS.flatMap((key) => (searchParams.get(key) ? [[key, searchParams.get(key) ?? ""]] : [])));
  const hasSearch = Object.keys(searchQuery).length > 0;

  async function saveSmartFolder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    try {
      const folder = await callApi(endpoints.createFolder, { body: { name, query: searchQuery } });
      setSaving(false);
      loadFolders();
      navigate({ folder: folder.id }, true);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  async function toggleLike(image: TGalleryImage) {
    const { liked } = await callApi(image.liked ? endpoints.unlikeImage : endpoints.likeImage, { params: { id: image.id } });
    setImages((current) => current.map((existing) => (existing.id === image.id ? { ...existing, liked } : existing)));
    setDetail((current) => (current?.id === image.id ? { ...current, liked } : current));
  }

  async function open(id: string) {
    setDetail(await callApi(endpoints.getImage, { params: { id } }));
  }

  // ---- selection: click toggles, shift-click selects a range, keys on the grid ----

  function selectRange(from: number, to: number, base: ReadonlySet<string>) {
    const next = new Set(base);
    for (let n = Math.min(from, to); n <= Math.max(from, to); n += 1) {
      const image = images[n];
      if (image) next.add(image.id);
    }
    setSelected(next);
  }

  function toggle(index: number) {
    const image = images[index];
    if (!image) return;
    const next = new Set(selected);
    if (next.has(image.id)) next.delete(image.id);
    else next.add(image.id);
    setSelected(next);
    anchor.current = index;
  }

  function onCheck(event: MouseEvent<HTMLButtonElement>, index: number) {
    if (event.shiftKey && anchor.current !== null) selectRange(anchor.current, index, selected);
    else toggle(index);
    focused.current = index;
  }

  function focusItem(index: number) {
    grid.current?.querySelector<HTMLButtonElement>(`[data-index="${index}"] [data-open]`)?.focus();
  }

  /** The item visually above or below in the justified grid (nearest centre in the next row). */
  function verticalNeighbour(index: number, direction: 1 | -1): number {
    const items = [...(grid.current?.querySelectorAll<HTMLElement>("[data-index]") ?? [])];
    const from = items[index]?.getBoundingClientRect();
    if (!from) return index;
    const centre = from.left + from.width / 2;
    let best = index;
    let bestRow = Infinity;
    let bestDistance = Infinity;
    items.forEach((item, n) => {
      const box = item.getBoundingClientRect();
      const rowGap = direction === 1 ? box.top - from.bottom : from.top - box.bottom;
      if (rowGap < -1) return;
      const row = Math.round(rowGap);
      const distance = Math.abs(box.left + box.width / 2 - centre);
      if (row < bestRow || (row === bestRow && distance < bestDistance)) {
        best = n;
        bestRow = row;
        bestDistance = distance;
      }
    });
    return best;
  }

  function onGridKey(event: KeyboardEvent<HTMLUListElement>) {
    const current = focused.current;
    if (current === null) return;
    if (event.key === "x" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      toggle(current);
      return;
    }
    const moves: Record<string, () => number> = {
      ArrowRight: () => Math.min(images.length - 1, current + 1),
      ArrowLeft: () => Math.max(0, current - 1),
      ArrowDown: () => verticalNeighbour(current, 1),
      ArrowUp: () => verticalNeighbour(current, -1),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const next = move();
    if (event.shiftKey) {
      anchor.current ??= current;
      selectRange(anchor.current, next, selected);
    }
    focused.current = next;
    focusItem(next);
  }

  // ---- bulk actions ----

  const selectedIds = images.filter((image) => selected.has(image.id)).map((image) => image.id);
  // Teammates' images (seen through a team folder) can be downloaded, not changed: owner-only actions hide while any is selected.
  const othersSelected = images.filter((image) => selected.has(image.id) && image.addedBy !== undefined).length;

  async function bulk(action: () => Promise<void>) {
    try {
      await action();
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const downloadZip = () =>
    bulk(async () => {
      const response = await apiRequest(endpoints.zipImages, { body: { imageIds: selectedIds } }).catch((error: unknown) => {
        // Without the API's own message, name the status.
        throw error instanceof ApiError && error.code === undefined ? new Error(`Download failed (${error.status}).`) : error;
      });
      const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "mirage-images.zip";
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });

  const addToFolder = (target: string, move: boolean) =>
    bulk(async () => {
      const ids = selectedIds;
      await callApi(endpoints.addToFolder, { params: { id: target }, body: { imageIds: ids } });
      const name = folders.find((folder) => folder.id === target)?.name ?? "the folder";
      if (move && folderId) {
        await callApi(endpoints.removeFromFolder, { params: { id: folderId }, body: { imageIds: ids } });
        setImages((current) => current.filter((image) => !ids.includes(image.id)));
        setSelected(new Set());
      }
      showToast({ message: `${move ? "Moved" : "Added"} ${ids.length} ${ids.length === 1 ? "image" : "images"} to ${name}.` });
      loadFolders();
    });

  const removeFromFolder = () =>
    bulk(async () => {
      if (!folderId) return;
      const ids = selectedIds;
      await callApi(endpoints.removeFromFolder, { params: { id: folderId }, body: { imageIds: ids } });
      setImages((current) => current.filter((image) => !ids.includes(image.id)));
      setSelected(new Set());
      showToast({ message: `Removed ${ids.length} from ${currentFolder?.name ?? "the folder"}.` });
      loadFolders();
    });

  const deleteSelected = () =>
    bulk(async () => {
      const ids = selectedIds;
      await callApi(endpoints.deleteImages, { body: { imageIds: ids } });
      setImages((current) => current.filter((image) => !ids.includes(image.id)));
      setSelected(new Set());
      anchor.current = null;
      // The toast goes away by itself; its Undo goes with it.
      showToast({
        message: `Deleted ${ids.length} ${ids.length === 1 ? "image" : "images"}.`,
        durationMs: UNDO_TOAST_MS,
        action: {
          label: "Undo",
          onAction: () =>
            void bulk(async () => {
              await callApi(endpoints.restoreImages, { body: { imageIds: ids } });
              reloadImages();
              loadFolders();
            }),
        },
      });
      loadFolders();
    });

  const activeFilters = (["type", "ar", "model", "personalized", "from", "to", "liked"] as const).filter((key) => searchParams.get(key)).length;
  const showFilters = filtersOpen ?? activeFilters > 0;
  const handFolders = folders.filter((folder) => folder.query === null);
  const ownHandFolders = handFolders.filter((folder) => folder.team === null);
  const teamHandFolders = handFolders.filter((folder) => folder.team !== null);
  const inHandFolder = currentFolder !== null && currentFolder.query === null;
  /** Folder choices for Add/Move: one's own, then the team's under its name. */
  const folderOptions = (except: string | null) => (
    <>
      {ownHandFolders.filter((folder) => folder.id !== except).map((folder) => <option key={folder.id} value={folder.id}>{folder.name}</option>)}
      {teamHandFolders.some((folder) => folder.id !== except) && (
        <optgroup label={`Team · ${teamHandFolders[0]?.team?.name ?? ""}`}>
          {teamHandFolders.filter((folder) => folder.id !== except).map((folder) => <option key={folder.id} value={folder.id}>{folder.name}</option>)}
        </optgroup>
      )}
    </>
  );

  return (
    <div className="flex flex-col gap-4 md:flex-row md:items-start">
      {/* keyed by the open folder, so a half-done rename or delete never carries over to another folder */}
      <FolderSidebar key={folderId ?? "all"} folders={folders} team={team} current={folderId} onOpen={(id) => navigate({ folder: id }, true)} onChanged={loadFolders} selectedIds={selectedIds} />
      <div className="flex min-w-0 flex-1 flex-col gap-4">
        <div className="flex flex-wrap items-center gap-2">
          <form onSubmit={onSearch} role="search" className="flex gap-2">
            <label htmlFor="gallery-search" className="sr-only">Search prompts</label>
            <input key={searchParams.get("q") ?? ""} id="gallery-search" name="q" type="search" defaultValue={searchParams.get("q") ?? ""} placeholder="Search prompts"
              className="w-64 rounded-lg border border-ink-700 bg-ink-900 px-3 py-1.5 text-sm" />
            <Button type="submit" variant="outline">Search</Button>
          </form>
          {/* On a phone the filters fold away behind one button (open when one is set). */}
          <Button variant="outline" className="md:hidden" aria-expanded={showFilters} aria-controls="gallery-filters" onClick={() => setFiltersOpen(!showFilters)}>
            Filters{activeFilters > 0 ? ` (${activeFilters})` : ""}
          </Button>
          <div id="gallery-filters" className={`${showFilters ? "flex" : "hidden"} w-full flex-wrap items-center gap-2 md:flex md:w-auto`}>
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
          <label className="flex items-center gap-1 text-sm text-ink-300">
            Model
            <select value={searchParams.get("model") ?? ""} onChange={(event) => setFilter("model", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
              <option value="">all</option>
              {[...new Set([...models, ...(searchParams.get("model") ? [searchParams.get("model") ?? ""] : [])])].map((model) => <option key={model} value={model}>{model}</option>)}
            </select>
          </label>
          <label className="flex items-center gap-1 text-sm text-ink-300">
            Personalized
            <select value={searchParams.get("personalized") ?? ""} onChange={(event) => setFilter("personalized", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
              <option value="">either</option>
              <option value="1">yes</option>
              <option value="0">no</option>
            </select>
          </label>
          <label className="flex items-center gap-1 text-sm text-ink-300">
            From
            <input type="date" value={searchParams.get("from") ?? ""} onChange={(event) => setFilter("from", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1" />
          </label>
          <label className="flex items-center gap-1 text-sm text-ink-300">
            To
            <input type="date" value={searchParams.get("to") ?? ""} onChange={(event) => setFilter("to", event.target.value || null)} className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1" />
          </label>
          <label className="flex items-center gap-1.5 text-sm text-ink-300">
            <input type="checkbox" checked={Boolean(searchParams.get("liked"))} onChange={(event) => setFilter("liked", event.target.checked ? "1" : null)} />
            Liked
          </label>
          </div>
          {hasSearch && !isSaving && (
            <Button variant="outline" onClick={() => setSaving(true)}>Save as smart folder</Button>
          )}
          {isSaving && (
            <form onSubmit={(event) => void saveSmartFolder(event)} className="flex gap-1">
              <input name="name" aria-label="Smart folder name" required maxLength={80} autoFocus placeholder="Smart folder name" className="rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm" />
              <Button type="submit" size="sm">Save</Button>
              <Button variant="outline" size="sm" onClick={() => setSaving(false)}>Cancel</Button>
            </form>
          )}
        </div>

        {selectedIds.length > 0 && (
          <div role="toolbar" aria-label="Selection" className="sticky top-0 z-30 flex flex-wrap items-center gap-2 rounded-lg border border-ink-700 bg-ink-900/95 px-3 py-2 text-sm">
            <span aria-live="polite">{selectedIds.length} selected</span>
            <Button size="sm" onClick={() => void downloadZip()}>Download zip</Button>
            {othersSelected > 0 ? (
              <span className="text-xs text-ink-300">{othersSelected} {othersSelected === 1 ? "is a teammate's" : "are teammates'"}: download only</span>
            ) : (
              <>
                <AddToMoodboard imageIds={selectedIds} />
                {handFolders.length > 0 && (
                  <label className="flex items-center gap-1">
                    <span className="sr-only">Add to folder</span>
                    <select aria-label="Add to folder" value="" onChange={(event) => event.target.value && void addToFolder(event.target.value, false)} className="max-w-full rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
                      <option value="">Add to folder…</option>
                      {folderOptions(null)}
                    </select>
                  </label>
                )}
                {inHandFolder && handFolders.length > 1 && (
                  <select aria-label="Move to folder" value="" onChange={(event) => event.target.value && void addToFolder(event.target.value, true)} className="max-w-full rounded-md border border-ink-700 bg-ink-900 px-2 py-1">
                    <option value="">Move to folder…</option>
                    {folderOptions(folderId)}
                  </select>
                )}
              </>
            )}
            {inHandFolder && (othersSelected === 0 || currentFolder.canManage) && <Button size="sm" onClick={() => void removeFromFolder()}>Remove from folder</Button>}
            {othersSelected === 0 && <Button variant="danger" size="sm" onClick={() => void deleteSelected()}>Delete</Button>}
            <Button variant="outline" size="sm" onClick={() => setSelected(new Set())}>Clear</Button>
            <span className="text-xs text-ink-300">shift-click: range · x: toggle · shift+arrows: extend · Esc: clear</span>
          </div>
        )}

        {error && <p role="alert" className="text-sm text-red-300">{error}</p>}
        {!isLoading && !error && images.length === 0 && (
          hasSearch ? (
            <div className="flex flex-wrap items-center gap-3 text-sm text-ink-300">
              <p>No images match these filters.</p>
              <Button variant="outline" size="sm" onClick={() => navigate({ folder: folderId ?? null }, true)}>Clear filters</Button>
            </div>
          ) : (
            <p className="text-sm text-ink-300">{folderId ? "Nothing in this folder yet." : "No images match. Make some on the Create page."}</p>
          )
        )}
        <ul ref={grid} className="flex flex-wrap gap-1.5" aria-label="Images" onKeyDown={onGridKey}>
          {images.map((image, index) => {
            const ratio = image.width / image.height;
            const isSelected = selected.has(image.id);
            return (
              <li key={image.id} data-testid="gallery-image" data-index={index} data-selected={isSelected ? "true" : undefined}
                className={`group relative overflow-hidden rounded-md bg-ink-900 ${isSelected ? "ring-2 ring-accent" : ""}`}
                style={{ flexGrow: ratio, flexBasis: `${ratio * ROW_HEIGHT}px`, height: ROW_HEIGHT }}>
                <button type="button" data-open onClick={() => void open(image.id)} onFocus={() => (focused.current = index)} className="block h-full w-full" aria-label={`Open: ${image.prompt}`}>
                  {/* eslint-disable-next-line @next/next/no-img-element -- private, per-user files served by the API */}
                  <img src={image.thumbUrl} alt={image.prompt} loading="lazy" decoding="async" className="h-full w-full object-cover" />
                </button>
                <button type="button" role="checkbox" aria-checked={isSelected} aria-label={`Select: ${image.prompt}`} onClick={(event) => onCheck(event, index)}
                  className={`absolute left-1.5 top-1.5 flex h-6 w-6 items-center justify-center rounded border text-xs ${
                    isSelected ? "border-accent bg-accent text-ink-950" : "border-ink-300 bg-ink-950/70 text-transparent opacity-0 group-hover:opacity-100 focus:opacity-100"
                  } ${selectedIds.length > 0 ? "opacity-100" : ""}`}>
                  ✓
                </button>
                {image.addedBy !== undefined ? (
                  // A teammate's image: a like is its owner's, so instead of the heart it says whose it is.
                  <span className="pointer-events-none absolute bottom-1.5 left-1.5 max-w-[calc(100%-0.75rem)] truncate rounded bg-ink-950/80 px-1.5 py-0.5 text-[11px] text-ink-100">
                    Added by {image.addedBy}
                  </span>
                ) : (
                  <button type="button" onClick={() => void toggleLike(image)} aria-pressed={image.liked} aria-label={image.liked ? "Unlike" : "Like"}
                    className={`absolute right-1.5 top-1.5 rounded-full bg-ink-950/70 px-2 py-1 text-xs ${image.liked ? "text-pink-300" : "text-ink-300 opacity-0 group-hover:opacity-100 focus:opacity-100"}`}>
                    {image.liked ? "♥" : "♡"}
                  </button>
                )}
              </li>
            );
          })}
          {/* keeps the last row from stretching */}
          <li aria-hidden className="grow-[10]" />
        </ul>
        <div ref={sentinel} className="h-8" />
        {isLoading && <p className="text-sm text-ink-300">Loading…</p>}
      </div>
      {detail && <ImageDetailPanel detail={detail} onClose={() => setDetail(null)} onOpen={(id) => void open(id)} onLike={() => void toggleLike(detail)} />}
    </div>
  );
}
