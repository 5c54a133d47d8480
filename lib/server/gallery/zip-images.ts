import "server-only";
import { Zip, ZipPassThrough } from "fflate";
import type { Db } from "@/lib/db/client";
import { imageFileKey, toStore, type StorageTarget } from "@/lib/storage";
import { readableImageWhere, requireReadableImages } from "./image-access";

export interface ZipEntry {
  name: string;
  /** The full-size PNG's key in the image store. */
  key: string;
  mtime: Date;
}

/**
 * The user's images (full-size PNGs) as zip entries, in the order asked.
 * Every id must be a live image the user may read (else 404, all or
 * nothing): their own, or a teammate's they see through a team folder.
 */
export async function zipEntriesFor(db: Db, userId: string, imageIds: string[]): Promise<ZipEntry[]> {
  const ids = await requireReadableImages(db, userId, imageIds);
  const rows = await db.image.findMany({ where: { AND: [{ id: { in: ids } }, readableImageWhere(userId)] }, select: { id: true, jobId: true, index: true, seed: true, storageKey: true, createdAt: true } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const used = new Set<string>();
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    let name = `mirage-${row.jobId.slice(-8)}-${row.index}-${row.seed}.png`;
    for (let n = 2; used.has(name); n += 1) name = `mirage-${row.jobId.slice(-8)}-${row.index}-${row.seed}-${n}.png`;
    used.add(name);
    return [{ name, key: imageFileKey(row.storageKey, "full"), mtime: row.createdAt }];
  });
}

/**
 * Streams a zip of the files from the image store (local folder or S3),
 * one file at a time and chunk by chunk as the reader asks for more, so
 * memory stays small whatever the count. PNGs are already compressed, so
 * entries are stored, not deflated. A file missing from storage is left out
 * rather than failing the whole download.
 */
export function zipStream(storage: StorageTarget, entries: ZipEntry[]): ReadableStream<Uint8Array> {
  const store = toStore(storage);
  let next = 0;
  let ended = false;
  let zip: Zip;
  let current: { file: ZipPassThrough; reader: ReadableStreamDefaultReader<Uint8Array> } | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) return controller.error(error);
        if (chunk.length > 0) controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      for (;;) {
        if (current) {
          const { done, value } = await current.reader.read();
          if (!done) {
            current.file.push(value);
            return;
          }
          current.file.push(new Uint8Array(0), true);
          current = null;
        }
        if (next >= entries.length) break;
        const entry = entries[next++]!;
        const object = await store.get(entry.key);
        if (!object) continue;
        const file = new ZipPassThrough(entry.name);
        file.mtime = entry.mtime;
        zip.add(file);
        current = { file, reader: object.body.getReader() };
      }
      if (!ended) {
        ended = true;
        zip.end();
      }
    },
    async cancel() {
      ended = true;
      zip.terminate();
      await current?.reader.cancel().catch(() => undefined);
    },
  });
}
