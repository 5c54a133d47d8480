/** One stored file, opened for reading. */
export interface StoredObject {
  body: ReadableStream<Uint8Array>;
  /** Bytes, when the driver knows (both drivers do). */
  size: number | undefined;
}

/**
 * What Mirage needs from a place that keeps image files: the local
 * filesystem driver and the S3-compatible one implement it. Keys are
 * relative, `/`-separated paths built from ids only (see `imageFileKey`).
 */
export interface ObjectStore {
  readonly driver: "local" | "s3";
  /** Where files go, for logs and the health page: a folder, or `s3://bucket/prefix`. */
  readonly location: string;
  /** Stores `data` under `key`, replacing what was there; readers never see half a file. */
  put(key: string, data: Uint8Array, contentType: string): Promise<void>;
  /** Opens `key` for reading; null when there is no such file. */
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** Removes these keys; missing ones are fine. */
  deleteKeys(keys: readonly string[]): Promise<void>;
  /** Removes every key under `prefix` (a folder: `a/b/` removes `a/b/…`). */
  deletePrefix(prefix: string): Promise<void>;
  /** Releases connections (S3); a no-op for the local driver. */
  close(): void;
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Keys are made of ids, so anything else is a bug or an attack: a key must be
 * `/`-separated segments of letters, digits, `.`, `_`, `-`, none starting with
 * `.` (so no `..`), no empty segment, no leading `/`.
 */
export function assertValidKey(key: string): void {
  if (key.length === 0 || key.length > 512 || !key.split("/").every((segment) => SEGMENT.test(segment))) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

/** A prefix is a valid key followed by `/`. */
export function assertValidPrefix(prefix: string): void {
  if (!prefix.endsWith("/")) throw new Error(`invalid storage prefix (must end in '/'): ${JSON.stringify(prefix)}`);
  assertValidKey(prefix.slice(0, -1));
}

/** Reads a whole stored object into memory (images are at most a few MB). */
export async function readStoredObject(object: StoredObject): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = object.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
