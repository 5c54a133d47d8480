import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/parse-env";
import { loadWorkerConfig } from "@/lib/config/worker";
import { createImageStore, imageFileKey, imagePath, imageStorageKey, removeImageFiles, removeJobFiles, type ObjectStore } from "@/lib/storage";
import { createS3Client } from "@/lib/storage/s3";
import { readImagePixels, writeImageFiles } from "@/workers/image-files";
import { describeStoreContract } from "../support/storage-contract";

let root = "";
let store: ObjectStore;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "mirage-storage-"));
  store = createImageStore({ STORAGE_DRIVER: "local", STORAGE_DIR: root, S3_REGION: "us-east-1", S3_FORCE_PATH_STYLE: false, S3_KEY_PREFIX: "" });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describeStoreContract("local", () => store);

describe("local storage layout", () => {
  it("keeps the existing file layout: <user>/<job>/<index>.png and .thumb.webp under STORAGE_DIR", async () => {
    const key = imageStorageKey("user1", "job1", 2);
    expect(imageFileKey(key, "full")).toBe("user1/job1/2.png");
    expect(imagePath(root, key, "thumb")).toBe(path.join(root, "user1/job1/2.thumb.webp"));
    const image = { width: 8, height: 4, data: new Uint8Array(8 * 4 * 3).map((_, index) => (index * 7) % 256) };
    await writeImageFiles(store, key, image);
    expect(existsSync(imagePath(root, key, "full"))).toBe(true);
    expect((await readFile(imagePath(root, key, "full"))).subarray(1, 4).toString()).toBe("PNG");
    expect(await readImagePixels(store, key)).toEqual(image);
    // No temporary files are left behind by the atomic writes.
    expect((await readdir(path.join(root, "user1/job1"))).sort()).toEqual(["2.png", "2.thumb.webp"]);
  });

  it("removes one image's files, or a whole job's, through the driver or a folder path", async () => {
    const image = { width: 2, height: 2, data: new Uint8Array(12) };
    await writeImageFiles(root, imageStorageKey("user2", "jobA", 0), image);
    await writeImageFiles(root, imageStorageKey("user2", "jobA", 1), image);
    await writeImageFiles(root, imageStorageKey("user2", "jobB", 0), image);
    await removeImageFiles(store, imageStorageKey("user2", "jobA", 0));
    expect(await store.exists("user2/jobA/0.png")).toBe(false);
    expect(await store.exists("user2/jobA/1.png")).toBe(true);
    await removeJobFiles(root, "user2", "jobA");
    expect(existsSync(path.join(root, "user2/jobA"))).toBe(false);
    expect(await store.exists("user2/jobB/0.thumb.webp")).toBe(true);
  });
});

describe("storage configuration", () => {
  const base = { DATABASE_URL: "postgresql://localhost/db", REDIS_URL: "redis://localhost:6379" };

  it("defaults to the local driver", () => {
    expect(loadWorkerConfig(base)).toMatchObject({ STORAGE_DRIVER: "local", STORAGE_DIR: ".data/images" });
  });

  it("requires a bucket for S3, and both halves of a key pair", () => {
    expect(() => loadWorkerConfig({ ...base, STORAGE_DRIVER: "s3" })).toThrow(/S3_BUCKET: is required when STORAGE_DRIVER=s3/);
    expect(() => loadWorkerConfig({ ...base, STORAGE_DRIVER: "s3", S3_BUCKET: "images", S3_ACCESS_KEY_ID: "id" })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadWorkerConfig({ ...base, STORAGE_DRIVER: "s3", S3_BUCKET: "Bad_Bucket" })).toThrow(ConfigError);
    expect(() => loadWorkerConfig({ ...base, STORAGE_DRIVER: "ftp" })).toThrow(/STORAGE_DRIVER: must be local or s3/);
  });

  it("builds the S3 client from the configured endpoint, region, path style and credentials", async () => {
    const config = loadWorkerConfig({
      ...base,
      STORAGE_DRIVER: "s3",
      S3_BUCKET: "images",
      S3_ENDPOINT: "http://minio:9000",
      S3_REGION: "eu-west-3",
      S3_FORCE_PATH_STYLE: "1",
      S3_ACCESS_KEY_ID: "AKIA",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_KEY_PREFIX: "studio/",
    });
    const client = await createS3Client({
      bucket: config.S3_BUCKET!,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      keyPrefix: config.S3_KEY_PREFIX,
      credentials: { accessKeyId: config.S3_ACCESS_KEY_ID!, secretAccessKey: config.S3_SECRET_ACCESS_KEY! },
    });
    expect(await client.config.region()).toBe("eu-west-3");
    expect(client.config.forcePathStyle).toBe(true);
    expect((await client.config.credentials()).accessKeyId).toBe("AKIA");
    client.destroy();
    const s3 = createImageStore(config);
    expect(s3).toMatchObject({ driver: "s3", location: "s3://images/studio/" });
    s3.close();
  });
});

describe("worker command line", () => {
  const base = { DATABASE_URL: "postgresql://localhost/db", REDIS_URL: "redis://localhost:6379" };

  it("takes --device N (one process per GPU) and advertises it", () => {
    const cuda = { ...base, EXECUTION_PROVIDER: "cuda" };
    expect(loadWorkerConfig(cuda, ["--device", "3"])).toMatchObject({ DEVICE: 3, advertisedDevice: 3, workerId: expect.stringMatching(/-gpu3$/) });
    expect(loadWorkerConfig({ ...cuda, DEVICE: "1" }, ["--device=2"]).DEVICE).toBe(2);
    expect(loadWorkerConfig(cuda).advertisedDevice).toBe(0);
    // On the CPU a device index means nothing, so none is advertised.
    expect(loadWorkerConfig(base, ["--device", "1"])).toMatchObject({ DEVICE: 1, advertisedDevice: null });
  });

  it("refuses a bad device or an unknown flag", () => {
    expect(() => loadWorkerConfig(base, ["--device", "-1"])).toThrow(/DEVICE: must be a GPU index/);
    expect(() => loadWorkerConfig(base, ["--device"])).toThrow(/--device needs a GPU index/);
    expect(() => loadWorkerConfig(base, ["--gpu", "1"])).toThrow(/unknown argument "--gpu"/);
  });

  it("reads WORKER_MODELS as a list", () => {
    expect(loadWorkerConfig({ ...base, WORKER_MODELS: "mirage-tiny,sd-turbo,mirage-tiny" }).WORKER_MODELS).toEqual(["mirage-tiny", "sd-turbo"]);
    expect(() => loadWorkerConfig({ ...base, WORKER_MODELS: "a,,b" })).toThrow(/WORKER_MODELS/);
  });
});
