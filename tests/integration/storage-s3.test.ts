import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ListObjectsCommand } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createRedis } from "@/lib/redis";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { createImageStore, imageFileKey, type ObjectStore } from "@/lib/storage";
import { createS3Client, createS3Store } from "@/lib/storage/s3";
import { readImagePixels } from "@/workers/image-files";
import { seedUser } from "../support/db";
import { describeStoreContract } from "../support/storage-contract";
import { createTestJobContext, FIXTURE_MODEL, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * The S3 driver against a real S3-protocol server (s3rver: S3's REST API over
 * HTTP with SigV4 auth, objects on disk) on a free local port: the same
 * contract as the local driver, a key prefix, listing past one page, and a
 * real worker process that stores a job's images in the bucket.
 */
const BUCKET = "mirage-test";
let server: S3rver;
let directory = "";
let endpoint = "";
let store: ObjectStore;
let prefixed: ObjectStore;

function s3Config(keyPrefix: string) {
  return {
    STORAGE_DRIVER: "s3" as const,
    STORAGE_DIR: "/nonexistent",
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: endpoint,
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: true,
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_KEY_PREFIX: keyPrefix,
  };
}

async function listKeys(prefix: string): Promise<string[]> {
  const client = await createS3Client({ bucket: BUCKET, region: "us-east-1", endpoint, forcePathStyle: true, keyPrefix: "", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
  const keys: string[] = [];
  // ListObjects v1 with a marker: s3rver makes ListObjectsV2 continuation
  // tokens with DES, which Node's OpenSSL 3 no longer offers (a 500).
  for (;;) {
    const page = await client.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: prefix, Marker: keys.at(-1) }));
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    if (!page.IsTruncated) break;
  }
  client.destroy();
  return keys.sort();
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "mirage-s3rver-"));
  server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const address = await server.run();
  endpoint = `http://127.0.0.1:${address.port}`;
  store = createImageStore(s3Config(""));
  prefixed = createImageStore(s3Config("studio-a/"));
});

afterAll(async () => {
  store.close();
  prefixed.close();
  await server.close();
  await rm(directory, { recursive: true, force: true });
});

describeStoreContract("s3 (s3rver)", () => store);

describe("s3 driver details", () => {
  it("puts every key under S3_KEY_PREFIX, with the content type, and keeps studios apart", async () => {
    await prefixed.put("u/j/0.png", new Uint8Array([1, 2, 3]), "image/png");
    expect(await listKeys("studio-a/")).toEqual(["studio-a/u/j/0.png"]);
    expect(await store.exists("u/j/0.png")).toBe(false);
    expect(await prefixed.exists("u/j/0.png")).toBe(true);
    await prefixed.deletePrefix("u/");
    expect(await listKeys("studio-a/")).toEqual([]);
  });

  it("deletes a prefix holding several listing pages", async () => {
    const paged = createS3Store({ bucket: BUCKET, region: "us-east-1", endpoint, forcePathStyle: true, keyPrefix: "", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }, pageSize: 10 });
    const keys = Array.from({ length: 35 }, (_, index) => `bulk/job/${index}.png`);
    await Promise.all(keys.map((key) => paged.put(key, new Uint8Array([7]), "image/png")));
    await paged.put("bulk/other/0.png", new Uint8Array([1]), "image/png");
    expect((await listKeys("bulk/job/")).length).toBe(35);
    await paged.deletePrefix("bulk/job/");
    expect(await listKeys("bulk/")).toEqual(["bulk/other/0.png"]);
    paged.close();
  });

  it("says the server is unreachable rather than that a file is missing", async () => {
    const dead = createImageStore({ ...s3Config(""), S3_ENDPOINT: "http://127.0.0.1:9" });
    await expect(dead.get("u/j/0.png")).rejects.toThrow();
    dead.close();
  });
});

describe("a worker with STORAGE_DRIVER=s3", () => {
  const db = createDb(inject("databaseUrl"), { max: 4 });
  const redis = createRedis(inject("redisUrl"), "request");
  const prefix = `${inject("redisPrefix")}-s3`;
  const context = createTestJobContext(db, redis, prefix);

  afterAll(async () => {
    await context.queue.close();
    redis.disconnect();
    await db.$disconnect();
  });

  it("stores a job's PNGs and thumbnails in the bucket and nothing on local disk", async () => {
    const localDir = await mkdtemp(path.join(tmpdir(), "mirage-s3-local-"));
    const env = { ...s3Config("w/"), STORAGE_DRIVER: "s3", S3_FORCE_PATH_STYLE: "1", STORAGE_DIR: localDir, WORKER_MODELS: FIXTURE_MODEL, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    const worker = startWorker({ prefix, storageDir: localDir, workerId: "s3-worker", env: env as unknown as Record<string, string> });
    try {
      const user = await seedUser(db);
      const principal = { userId: user.id, email: user.email, role: "user" as const, via: "token" as const };
      const jobId = (await createImagineJobs(context, principal, { prompt: "a red square --seed 7" })).id;
      const job = await waitFor(
        async () => {
          const row = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, error: true } });
          return row.status === "completed" || row.status === "failed" ? row : undefined;
        },
        60_000,
        "the job to finish",
      );
      expect(job).toEqual({ status: "completed", error: null });
      const images = await db.image.findMany({ where: { jobId }, orderBy: { index: "asc" }, select: { storageKey: true, width: true, height: true } });
      expect(images).toHaveLength(4);
      const expected = images.flatMap((image) => [`w/${imageFileKey(image.storageKey, "full")}`, `w/${imageFileKey(image.storageKey, "thumb")}`]).sort();
      expect(await listKeys(`w/${user.id}/`)).toEqual(expected);
      const workerStore = createImageStore(s3Config("w/"));
      const pixels = await readImagePixels(workerStore, images[0]!.storageKey);
      expect({ width: pixels.width, height: pixels.height }).toEqual({ width: images[0]!.width, height: images[0]!.height });
      workerStore.close();
      const { readdir } = await import("node:fs/promises");
      expect(await readdir(localDir)).toEqual([]);
    } finally {
      await stopWorker(worker);
      await rm(localDir, { recursive: true, force: true });
    }
  });
});
