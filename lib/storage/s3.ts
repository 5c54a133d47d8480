import type * as S3SdkModule from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { assertValidKey, assertValidPrefix, type ObjectStore, type StoredObject } from "./types";

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** A non-AWS endpoint (MinIO, Ceph, R2, …); unset means AWS S3. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
  /** Prepended to every key (`""` or folder names ending in `/`). */
  keyPrefix: string;
  /** Keys per listing page and per DeleteObjects request (S3's maximum, 1000, unless a test wants pages). */
  pageSize?: number;
}

/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

type S3Sdk = typeof S3SdkModule;

/**
 * The SDK is loaded on first use (about a second on a busy 2-core machine), so
 * processes on the local driver never pay for it.
 */
let sdk: Promise<S3Sdk> | undefined;
function loadSdk(): Promise<S3Sdk> {
  sdk ??= import("@aws-sdk/client-s3");
  return sdk;
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404;
}

/** The client exactly as the driver builds it (exported so tests can check the settings). */
export async function createS3Client(options: S3StoreOptions): Promise<S3Client> {
  const { S3Client } = await loadSdk();
  return new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle,
    credentials: options.credentials,
    // Self-hosted S3 servers differ in which of the newer integrity checksums
    // they accept; send and check them only where the API requires one.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 4,
  });
}

/**
 * Image files in an S3-compatible bucket, through the AWS SDK v3. PutObject
 * is atomic (a reader sees the old object or the new one), which is what the
 * local driver's rename gives too.
 */
export function createS3Store(options: S3StoreOptions): ObjectStore {
  let opened: Promise<{ client: S3Client; sdk: S3Sdk }> | undefined;
  let closed = false;
  const open = () => {
    if (closed) throw new Error("the S3 store is closed");
    opened ??= Promise.all([createS3Client(options), loadSdk()]).then(([client, sdk]) => ({ client, sdk }));
    return opened;
  };
  const bucket = options.bucket;
  const pageSize = Math.min(options.pageSize ?? DELETE_BATCH, DELETE_BATCH);
  const fullKey = (key: string) => {
    assertValidKey(key);
    return `${options.keyPrefix}${key}`;
  };
  const deleteFullKeys = async (keys: readonly string[]) => {
    const { client, sdk: { DeleteObjectsCommand } } = await open();
    for (let start = 0; start < keys.length; start += pageSize) {
      const batch = keys.slice(start, start + pageSize);
      const result = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = (result.Errors ?? []).filter((error) => error.Code !== "NoSuchKey");
      if (failed.length > 0) {
        throw new Error(`S3 could not delete ${failed.length} object(s), e.g. ${failed[0]?.Key}: ${failed[0]?.Code} ${failed[0]?.Message ?? ""}`);
      }
    }
  };
  return {
    driver: "s3",
    location: `s3://${bucket}/${options.keyPrefix}`,
    async put(key, data, contentType) {
      const { client, sdk: { PutObjectCommand } } = await open();
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: fullKey(key), Body: data, ContentType: contentType, ContentLength: data.byteLength }));
    },
    async get(key): Promise<StoredObject | null> {
      const { client, sdk: { GetObjectCommand } } = await open();
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
        if (!result.Body) return null;
        return { body: result.Body.transformToWebStream() as ReadableStream<Uint8Array>, size: result.ContentLength };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async exists(key) {
      const { client, sdk: { HeadObjectCommand } } = await open();
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: fullKey(key) }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async deleteKeys(keys) {
      await deleteFullKeys(keys.map(fullKey));
    },
    async deletePrefix(prefix) {
      assertValidPrefix(prefix);
      const { client, sdk: { ListObjectsCommand } } = await open();
      // List a page, delete it, list again from the start until nothing is
      // left: no continuation token to go stale while its keys disappear.
      // ListObjects (v1) because every S3-compatible server has it, and some
      // (s3rver, which the tests use) fail to make v2 continuation tokens.
      for (;;) {
        const page = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: `${options.keyPrefix}${prefix}`, MaxKeys: pageSize }));
        const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
        if (keys.length > 0) await deleteFullKeys(keys);
        if (!page.IsTruncated || keys.length === 0) return;
      }
    },
    close() {
      closed = true;
      void opened?.then(({ client }) => client.destroy(), () => undefined);
    },
  };
}
