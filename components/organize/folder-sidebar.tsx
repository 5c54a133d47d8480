"use client";

import { useState, type FormEvent } from "react";
import type { TFolder } from "@/lib/schemas/gallery";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { Button } from "../ui/button";

/** A saved search in words, e.g. `"boat" · liked · 16:9`. */
export function describeQuery(query: Record<string, string | undefined>): string {
  const parts: string[] = [];
  if (query.q) parts.push(`"${query.q}"`);
  if (query.type) parts.push(query.type);
  if (query.ar) parts.push(query.ar);
  if (query.liked) parts.push("liked");
  if (query.model) parts.push(query.model);
  if (query.personalized) parts.push(query.personalized === "1" || query.personalized === "true" ? "personalized" : "not personalized");
  if (query.from || query.to) parts.push(`${query.from ?? "…"} → ${query.to ?? "…"}`);
  return parts.join(" · ") || "everything";
}

/**
 * The folder list beside the grid: all images, hand-made folders (with
 * counts) and smart folders (saved searches), then the team's shared folders
 * under the team's name; create, rename and delete (a team folder only by
 * those who manage it: its maker, the team's owner, an admin).
 */
export function FolderSidebar({ folders, team = null, current, onOpen, onChanged, selectedIds = [] }: {
  folders: TFolder[];
  /** The team the user is in: its folders are listed as a group, and "New team folder" makes one. */
  team?: { id: string; name: string } | null;
  current: string | null;
  onOpen: (id: string | null) => void;
  onChanged: () => void;
  /** Images selected in the grid: a new folder is made with them in it. */
  selectedIds?: string[];
}) {
  const [mode, setMode] = useState<"idle" | "create" | "create-team" | "rename" | "delete">("idle");
  const [error, setError] = useState<string | null>(null);
  const currentFolder = folders.find((folder) => folder.id === current) ?? null;

  async function run(action: () => Promise<unknown>) {
    try {
      await action();
      setError(null);
      setMode("idle");
      onChanged();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    const shared = mode === "create-team";
    void run(async () => {
      const folder = await callApi(endpoints.createFolder, { body: { name, ...(shared && { team: true }) } });
      if (selectedIds.length > 0) await callApi(endpoints.addToFolder, { params: { id: folder.id }, body: { imageIds: selectedIds } });
      onOpen(folder.id);
    });
  }

  function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (currentFolder) void run(() => callApi(endpoints.updateFolder, { params: { id: currentFolder.id }, body: { name } }));
  }

  const item = (id: string | null, label: string, detail: string) => (
    <li key={id ?? "all"}>
      <button type="button" onClick={() => onOpen(id)} aria-current={current === id ? "page" : undefined}
        className={`flex w-full items-baseline justify-between gap-2 rounded-md px-2 py-1 text-left text-sm ${current === id ? "bg-ink-800 text-ink-100" : "text-ink-300 hover:bg-ink-900"}`}>
        <span className="truncate">{label}</span>
        <span className="shrink-0 text-[11px] text-ink-300">{detail}</span>
      </button>
    </li>
  );

  const ownFolders = folders.filter((folder) => folder.team === null);
  // Grouped by team (a user is in one team, but a group per team keeps the list honest whatever comes back).
  const teamGroups = [...new Map(folders.flatMap((folder) => (folder.team ? [[folder.team.id, folder.team] as const] : []))).values()];
  if (team && !teamGroups.some((group) => group.id === team.id)) teamGroups.push(team);

  return (
    <nav aria-label="Folders" className="flex w-full min-w-0 flex-col gap-2 md:w-52 md:shrink-0">
      <ul className="flex flex-col gap-0.5">
        {item(null, "All images", "")}
        {ownFolders.map((folder) => item(folder.id, folder.query ? `⌕ ${folder.name}` : folder.name, folder.query ? "smart" : String(folder.imageCount ?? 0)))}
      </ul>
      {teamGroups.map((group) => {
        const inGroup = folders.filter((folder) => folder.team?.id === group.id);
        return (
          <section key={group.id} aria-labelledby={`team-folders-${group.id}`} className="flex flex-col gap-0.5">
            <h2 id={`team-folders-${group.id}`} className="truncate px-2 pt-1 text-[11px] font-medium uppercase tracking-wide text-ink-300">
              Team · {group.name}
            </h2>
            <ul className="flex flex-col gap-0.5">
              {inGroup.map((folder) => item(folder.id, folder.name, String(folder.imageCount ?? 0)))}
            </ul>
            {inGroup.length === 0 && <p className="px-2 text-xs text-ink-300">No team folders yet.</p>}
          </section>
        );
      })}
      {currentFolder?.query && <p className="px-2 text-xs text-ink-300">Smart folder: {describeQuery(currentFolder.query)}</p>}
      {currentFolder?.team && (
        <p className="px-2 text-xs text-ink-300">Shared with {currentFolder.team.name}: every member sees the images here and adds their own.</p>
      )}
      {(mode === "create" || mode === "create-team") && (
        <form onSubmit={onCreate} className="flex gap-1">
          <input name="name" aria-label={mode === "create-team" ? "Team folder name" : "Folder name"} required maxLength={80} autoFocus
            placeholder={mode === "create-team" ? "Team folder name" : "Folder name"} className="min-w-0 flex-1 rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm" />
          <Button type="submit" size="sm">Create</Button>
        </form>
      )}
      {mode === "rename" && currentFolder && (
        <form onSubmit={onRename} className="flex gap-1">
          <input name="name" aria-label="New folder name" required maxLength={80} autoFocus defaultValue={currentFolder.name} className="min-w-0 flex-1 rounded-md border border-ink-700 bg-ink-900 px-2 py-1 text-sm" />
          <Button type="submit" size="sm">Rename</Button>
        </form>
      )}
      {mode === "delete" && currentFolder && (
        <div className="flex flex-col gap-1 text-xs text-ink-300">
          Delete “{currentFolder.name}”? Its images stay in the gallery.
          <div className="flex gap-1">
            <Button variant="danger" size="xs" onClick={() => void run(async () => { await callApi(endpoints.deleteFolder, { params: { id: currentFolder.id } }); onOpen(null); })}>
              Confirm delete
            </Button>
            <Button variant="outline" size="xs" onClick={() => setMode("idle")}>Cancel</Button>
          </div>
        </div>
      )}
      <div className="flex flex-wrap gap-1">
        <Button variant="outline" size="xs" onClick={() => setMode(mode === "create" ? "idle" : "create")}>New folder</Button>
        {team && (
          <Button variant="outline" size="xs" onClick={() => setMode(mode === "create-team" ? "idle" : "create-team")}>New team folder</Button>
        )}
        {currentFolder?.canManage && (
          <>
            <Button variant="outline" size="xs" onClick={() => setMode(mode === "rename" ? "idle" : "rename")}>Rename folder</Button>
            <Button variant="outline" size="xs" onClick={() => setMode(mode === "delete" ? "idle" : "delete")}>Delete folder</Button>
          </>
        )}
      </div>
      {error && <p role="alert" className="text-xs text-red-300">{error}</p>}
    </nav>
  );
}
