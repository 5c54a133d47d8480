import { readFile } from "node:fs/promises";
import { Zip, ZipPassThrough } from "fflate";
import type { Db } from "@/lib/db/client";
import { imagePath } from "@/lib/storage";
import { requireOwnImages } from "./folders";

export interface ZipEntry {
  name: string;
  file: string;
  mtime: Date;
}

/**
 * The user's images (full-size PNGs) as zip entries, in the order asked.
 * Every id must be one of the user's live images (else 404, all or nothing).
 */
export async function zipEntriesFor(db: Db, storageDir: string, userId: string, imageIds: string[]): Promise<ZipEntry[]> {
  const ids = await requireOwnImages(db, userId, imageIds);
  const rows = await db.image.findMany({ where: { id: { in: ids }, userId }, select: { id: true, jobId: true, index: true, seed: true, storageKey: true, createdAt: true } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const used = new Set<string>();
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    let name = `mirage-${row.jobId.slice(-8)}-${row.index}-${row.seed}.png`;
    for (let n = 2; used.has(name); n += 1) name = `mirage-${row.jobId.slice(-8)}-${row.index}-${row.seed}-${n}.png`;
    used.add(name);
    return [{ name, file: imagePath(storageDir, row.storageKey, "full"), mtime: row.createdAt }];
  });
}

/**
 * Streams a zip of the files, reading one file at a time as the reader asks
 * for more (so memory stays at about one image whatever the count). PNGs are
 * already compressed, so entries are stored, not deflated. A file missing
 * from storage is left out rather than failing the whole download.
 */
export function zipStream(entries: ZipEntry[]): ReadableStream<Uint8Array> {
  let next = 0;
  let ended = false;
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length > 0) controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      while (next < entries.length) {
        const entry = entries[next++]!;
        const data = await readFile(entry.file).catch(() => null);
        if (!data) continue;
        const file = new ZipPassThrough(entry.name);
        file.mtime = entry.mtime;
        zip.add(file);
        file.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), true);
        return;
      }
      if (!ended) {
        ended = true;
        zip.end();
      }
    },
    cancel() {
      ended = true;
      zip.terminate();
    },
  });
}
