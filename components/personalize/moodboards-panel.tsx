"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import type { TMoodboard } from "@/lib/schemas/moodboards";
import { apiQuery } from "../query/api-query";
import { Button } from "../ui/button";
import { CopyButton } from "../ui/copy-button";

/**
 * Moodboards on the Personalize page (docs/references.md §5): make one from
 * uploaded files, add or remove images, rename, delete, and copy its code
 * for `--p`. Images from Create and Organize are added from there ("Add to
 * moodboard").
 */
export function MoodboardsPanel() {
  const queryClient = useQueryClient();
  const listQuery = apiQuery(endpoints.listMoodboards);
  const { data, error: loadError } = useQuery(listQuery);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: listQuery.queryKey });
  const create = useMutation({
    mutationFn: (boardName: string) => callApi(endpoints.createMoodboard, { body: { name: boardName } }),
    onSuccess: () => {
      setName("");
      setError(null);
      return refresh();
    },
    onError: (failure) => setError(failure.message),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate(name.trim());
  }
  const boards = data?.moodboards ?? [];
  return (
    <section aria-labelledby="moodboards-heading" className="mt-10 space-y-4">
      <div>
        <h2 id="moodboards-heading" className="text-lg font-semibold text-ink-100">
          Moodboards
        </h2>
        <p className="text-sm text-ink-300">A set of images whose style becomes a profile. Use its code with --p, alone or blended with other codes (--p CODE::2 OTHER).</p>
      </div>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm text-ink-300">
          New moodboard name
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={80}
            className="mt-1 rounded-md border border-ink-600 bg-ink-900 px-3 py-2 text-ink-100"
            data-testid="moodboard-name"
          />
        </label>
        <Button type="submit" variant="primary" disabled={!name.trim() || create.isPending}>
          Create moodboard
        </Button>
      </form>
      {(error ?? loadError?.message) && (
        <p role="alert" className="text-sm text-red-300">
          {error ?? loadError?.message}
        </p>
      )}
      {data && boards.length === 0 && <p className="text-sm text-ink-300">No moodboards yet.</p>}
      <ul className="space-y-4">
        {boards.map((board) => (
          <li key={board.id}>
            <MoodboardCard board={board} onChanged={refresh} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function MoodboardCard({ board, onChanged }: { board: TMoodboard; onChanged: () => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState(board.name);
  async function act(action: () => Promise<unknown>) {
    try {
      await action();
      setError(null);
      await onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Something went wrong");
    }
  }
  async function addFiles(files: FileList | null) {
    if (!files || files.length === 0) return;
    await act(async () => {
      const uploads = [];
      for (const file of Array.from(files)) uploads.push(await callApi(endpoints.createUpload, { file }));
      await callApi(endpoints.addMoodboardImages, { params: { id: board.id }, body: { images: uploads.map((upload) => ({ uploadId: upload.id })) } });
    });
  }
  const inputId = `moodboard-files-${board.id}`;
  return (
    <article aria-label={`Moodboard ${board.name}`} className="rounded-lg border border-ink-700 bg-ink-900/60 p-4">
      <div className="flex flex-wrap items-center gap-3">
        {renaming ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              void act(() => callApi(endpoints.renameMoodboard, { params: { id: board.id }, body: { name: newName } })).then(() => setRenaming(false));
            }}
          >
            <label className="sr-only" htmlFor={`rename-${board.id}`}>
              Moodboard name
            </label>
            <input id={`rename-${board.id}`} value={newName} onChange={(event) => setNewName(event.target.value)} maxLength={80} className="rounded-md border border-ink-600 bg-ink-900 px-2 py-1 text-ink-100" />
            <Button type="submit" size="sm">
              Save
            </Button>
          </form>
        ) : (
          <h3 className="font-medium text-ink-100">{board.name}</h3>
        )}
        <code className="rounded bg-ink-800 px-2 py-0.5 text-sm text-ink-100" data-testid="moodboard-code">
          {board.code}
        </code>
        <CopyButton text={`--p ${board.code}`} aria-label={`Copy --p code of ${board.name}`}>
          Copy --p code
        </CopyButton>
        <span className="text-xs text-ink-300">{board.images.length} images</span>
        <div className="ml-auto flex gap-2">
          <Button size="sm" onClick={() => setRenaming((value) => !value)}>
            Rename
          </Button>
          <Button size="sm" variant="danger" onClick={() => void act(() => callApi(endpoints.deleteMoodboard, { params: { id: board.id } }))} aria-label={`Delete moodboard ${board.name}`}>
            Delete
          </Button>
        </div>
      </div>
      {board.style && (
        <p className="mt-2 text-xs text-ink-300">
          Style: {board.style.map((axis) => `${axis.axis} ${axis.value >= 0 ? "+" : ""}${axis.value.toFixed(2)}`).join(", ")}
        </p>
      )}
      <ul className="mt-3 flex flex-wrap gap-2">
        {board.images.map((image) => (
          <li key={image.id} className="relative">
            {/* eslint-disable-next-line @next/next/no-img-element -- thumbnails from the API, already small */}
            <img src={image.thumbUrl} alt="" className="h-20 w-20 rounded object-cover" />
            <button
              type="button"
              onClick={() => void act(() => callApi(endpoints.removeMoodboardImage, { params: { id: board.id, itemId: image.id } }))}
              className="absolute right-1 top-1 rounded bg-ink-950/80 px-1 text-xs text-ink-100 focus-visible:outline focus-visible:outline-2"
              aria-label="Remove this image from the moodboard"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor={inputId} className="mt-3 inline-block cursor-pointer text-sm text-ink-100 underline">
        Add images from files
      </label>
      <input id={inputId} type="file" accept="image/png,image/jpeg,image/webp" multiple className="sr-only" onChange={(event) => void addFiles(event.target.files)} data-testid="moodboard-files" />
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-300">
          {error}
        </p>
      )}
    </article>
  );
}
