import { createReadStream } from "node:fs";
import { access, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { assertValidKey, assertValidPrefix, type ObjectStore, type StoredObject } from "./types";

/** Resolves a key under the root, refusing anything that would land outside it. */
export function resolveUnderRoot(root: string, key: string): string {
  assertValidKey(key);
  const base = path.resolve(root);
  const file = path.resolve(base, key);
  if (!file.startsWith(base + path.sep)) throw new Error(`storage key escapes the storage root: ${key}`);
  return file;
}

/** Writes via a temporary file and rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * Files in a folder: one host, or several hosts that mount the same volume
 * (NFS, a shared Docker volume). Atomic renames keep concurrent writers of
 * the same key (a job delivered twice) from leaving a torn file.
 */
export function createLocalStore(root: string): ObjectStore {
  const base = path.resolve(root);
  return {
    driver: "local",
    location: base,
    async put(key, data) {
      await writeFileAtomic(resolveUnderRoot(base, key), data);
    },
    async get(key): Promise<StoredObject | null> {
      const file = resolveUnderRoot(base, key);
      const info = await stat(file).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!info?.isFile()) return null;
      const stream = createReadStream(file);
      return { body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, size: info.size };
    },
    async exists(key) {
      return access(resolveUnderRoot(base, key)).then(() => true, () => false);
    },
    async deleteKeys(keys) {
      const files = keys.map((key) => resolveUnderRoot(base, key));
      await Promise.all(files.map((file) => rm(file, { force: true })));
    },
    async deletePrefix(prefix) {
      assertValidPrefix(prefix);
      await rm(resolveUnderRoot(base, prefix.slice(0, -1)), { recursive: true, force: true });
    },
    close() {},
  };
}
