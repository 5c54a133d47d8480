"use client";

import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { callApi } from "@/lib/api/client";
import { endpoints } from "@/lib/api/endpoints";
import { apiQuery } from "../query/api-query";
import { Button } from "../ui/button";
import { Menu, MenuContent, MenuItem, MenuSeparator, MenuTrigger } from "../ui/menu";
import { useToast } from "../ui/toast";

/**
 * "Add to moodboard": a menu of the user's moodboards plus "New moodboard"
 * (named after the first image's date), used by the large view (one image)
 * and Organize's bulk actions (the selection). docs/references.md §5.
 */
export function AddToMoodboard({ imageIds, size = "sm" }: { imageIds: readonly string[]; size?: "xs" | "sm" }) {
  const queryClient = useQueryClient();
  const listQuery = apiQuery(endpoints.listMoodboards);
  const [open, setOpen] = useState(false);
  const { data } = useQuery({ ...listQuery, enabled: open });
  const showToast = useToast();
  const images = imageIds.map((imageId) => ({ imageId }));
  async function run(action: () => Promise<{ name: string; code: string }>) {
    try {
      const board = await action();
      showToast({ message: `Added to ${board.name} (--p ${board.code}).` });
      await queryClient.invalidateQueries({ queryKey: listQuery.queryKey });
    } catch (failure) {
      showToast({ message: failure instanceof Error ? failure.message : "Could not add to the moodboard." });
    }
  }
  return (
    <Menu open={open} onOpenChange={setOpen}>
      <MenuTrigger asChild>
        <Button size={size} variant="outline" disabled={imageIds.length === 0}>
          Add to moodboard
        </Button>
      </MenuTrigger>
      <MenuContent>
        {(data?.moodboards ?? []).map((board) => (
          <MenuItem key={board.id} onSelect={() => void run(() => callApi(endpoints.addMoodboardImages, { params: { id: board.id }, body: { images } }))}>
            {board.name} <span className="text-ink-300">({board.images.length})</span>
          </MenuItem>
        ))}
        {data && data.moodboards.length > 0 && <MenuSeparator />}
        <MenuItem onSelect={() => void run(() => callApi(endpoints.createMoodboard, { body: { name: `Moodboard ${new Date().toISOString().slice(0, 10)}`, images } }))}>
          New moodboard with {imageIds.length === 1 ? "this image" : `these ${imageIds.length} images`}
        </MenuItem>
      </MenuContent>
    </Menu>
  );
}
