import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteImages, restoreImages } from "@/lib/server/gallery/delete-images";
import { addToFolder, createFolder, deleteFolder, listFolders, removeFromFolder, updateFolder } from "@/lib/server/gallery/folders";
import { getImageDetail } from "@/lib/server/gallery/image-detail";
import { listImages } from "@/lib/server/gallery/list-images";
import { purgeDeletedImages } from "@/lib/server/gallery/purge-deleted";
import { zipEntriesFor, zipStream } from "@/lib/server/gallery/zip-images";
import { ZCreateFolderRequest, ZGalleryQuery, ZImageIdsRequest } from "@/lib/schemas/gallery";
import { imagePath, writeFileAtomic } from "@/lib/storage";
import { seedUser, testDb } from "../support/db";
import { seedGalleryRows } from "../support/seed-gallery";

const db = testDb();
let userId = "";
let otherId = "";
let storageDir = "";
const query = (input: Record<string, string> = {}) => ZGalleryQuery.parse({ limit: "100", ...input });
const ids = async (input: Record<string, string> = {}) => (await listImages(db, userId, query(input))).images.map((image) => image.id);

/** Writes the PNG and thumbnail of each image so deleting can be seen on disk. */
async function writeFiles(imageIds: string[]) {
  const rows = await db.image.findMany({ where: { id: { in: imageIds } }, select: { id: true, storageKey: true } });
  for (const row of rows) {
    await writeFileAtomic(imagePath(storageDir, row.storageKey, "full"), new TextEncoder().encode(`png of ${row.id}`));
    await writeFileAtomic(imagePath(storageDir, row.storageKey, "thumb"), new TextEncoder().encode(`webp of ${row.id}`));
  }
  return rows;
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-folders-"));
  userId = (await seedUser(db)).id;
  otherId = (await seedUser(db)).id;
  await seedGalleryRows(db, userId, 20);
  await seedGalleryRows(db, otherId, 3);
});
afterAll(async () => {
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("folders", () => {
  it("creates, renames and deletes folders; images can be in several; names are unique per user", async () => {
    const all = await ids();
    const trips = await createFolder(db, userId, { name: "Trips" });
    const best = await createFolder(db, userId, { name: "Best" });
    await expect(createFolder(db, userId, { name: "Trips" })).rejects.toMatchObject({ code: "CONFLICT" });
    // Another user may use the same name.
    await createFolder(db, otherId, { name: "Trips" });

    expect(await addToFolder(db, userId, trips.id, all.slice(0, 5))).toEqual({ count: 5 });
    expect(await addToFolder(db, userId, trips.id, all.slice(0, 6))).toEqual({ count: 1 });
    await addToFolder(db, userId, best.id, all.slice(3, 8));
    expect(await ids({ folder: trips.id })).toEqual(all.slice(0, 6));
    expect(await ids({ folder: best.id })).toEqual(all.slice(3, 8));
    // Folder and filters combine.
    expect(await ids({ folder: best.id, q: "boats" })).toEqual((await ids({ q: "boats" })).filter((id) => all.slice(3, 8).includes(id)));

    expect(await removeFromFolder(db, userId, trips.id, all.slice(0, 2))).toEqual({ count: 2 });
    expect(await ids({ folder: trips.id })).toEqual(all.slice(2, 6));

    const renamed = await updateFolder(db, userId, trips.id, { name: "Holidays" });
    expect(renamed).toMatchObject({ id: trips.id, name: "Holidays", query: null, imageCount: 4 });
    await expect(updateFolder(db, userId, trips.id, { name: "Best" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await listFolders(db, userId)).map((folder) => folder.name)).toEqual(["Best", "Holidays"]);

    await deleteFolder(db, userId, trips.id);
    expect((await listFolders(db, userId)).map((folder) => folder.name)).toEqual(["Best"]);
    // The images stay, in the gallery and in the other folder.
    expect(await ids()).toEqual(all);
    expect(await ids({ folder: best.id })).toEqual(all.slice(3, 8));
    await expect(listImages(db, userId, query({ folder: trips.id }))).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("never lets anyone touch another user's folders or images (404)", async () => {
    const mine = await createFolder(db, userId, { name: "Mine" });
    const theirs = await createFolder(db, otherId, { name: "Theirs" });
    const myImages = await ids();
    const theirImages = (await listImages(db, otherId, query())).images.map((image) => image.id);

    await expect(addToFolder(db, userId, mine.id, [myImages[0]!, theirImages[0]!])).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await ids({ folder: mine.id })).toEqual([]); // all or nothing
    await expect(addToFolder(db, otherId, mine.id, theirImages.slice(0, 1))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addToFolder(db, userId, theirs.id, myImages.slice(0, 1))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(updateFolder(db, userId, theirs.id, { name: "Stolen" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteFolder(db, userId, theirs.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(removeFromFolder(db, userId, theirs.id, theirImages)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listImages(db, userId, query({ folder: theirs.id }))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(deleteImages(db, userId, theirImages.slice(0, 2))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(restoreImages(db, userId, theirImages.slice(0, 1))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(zipEntriesFor(db, userId, theirImages.slice(0, 1))).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listImages(db, otherId, query())).images).toHaveLength(12);
    await deleteFolder(db, userId, mine.id);
  });

  it("smart folders show their saved search live, validated by the gallery query schema", async () => {
    expect(ZCreateFolderRequest.safeParse({ name: "Bad", query: { type: "sculpture" } }).success).toBe(false);
    expect(ZCreateFolderRequest.safeParse({ name: "Bad", query: { from: "yesterday" } }).success).toBe(false);
    expect(ZCreateFolderRequest.safeParse({ name: "Bad", query: { cursor: "x" } }).success).toBe(false);

    const smart = await createFolder(db, userId, ZCreateFolderRequest.parse({ name: "Liked boats", query: { q: "boat", liked: "1" } }));
    expect(smart).toMatchObject({ name: "Liked boats", query: { q: "boat", liked: "1" }, imageCount: null });
    const expected = await ids({ q: "boat", liked: "1" });
    expect(await ids({ folder: smart.id })).toEqual(expected);
    await expect(addToFolder(db, userId, smart.id, expected.slice(0, 1))).rejects.toMatchObject({ code: "CONFLICT" });

    // Live: a newly liked boat appears without touching the folder.
    const unlikedBoat = (await listImages(db, userId, query({ q: "boat" }))).images.find((image) => !image.liked)!;
    await db.image.update({ where: { id: unlikedBoat.id }, data: { likedAt: new Date() } });
    expect(await ids({ folder: smart.id })).toContain(unlikedBoat.id);

    // Changing its search changes what it shows.
    await updateFolder(db, userId, smart.id, { query: { type: "draft" } });
    expect(await ids({ folder: smart.id })).toEqual(await ids({ type: "draft" }));
  });

  it("filters by date range, model and personalization", async () => {
    const all = (await listImages(db, userId, query())).images;
    expect(await ids({ model: "mirage-tiny" })).toEqual(all.map((image) => image.id));
    expect(await ids({ model: "another-model" })).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await ids({ from: today, to: today })).toEqual(all.map((image) => image.id));
    expect(await ids({ to: "2020-01-01" })).toEqual([]);
    expect(await ids({ from: "2999-01-01" })).toEqual([]);

    // Personalized: the prompt used --p; absent means not personalized.
    const job = all[0]!.jobId;
    const recipe = (await db.job.findUniqueOrThrow({ where: { id: job }, select: { recipe: true } })).recipe as Record<string, unknown>;
    await db.job.update({ where: { id: job }, data: { recipe: { ...recipe, personalize: { enabled: true, codes: [] } } } });
    const personalized = await ids({ personalized: "1" });
    expect(personalized.length).toBe(4);
    expect(all.filter((image) => image.jobId === job).map((image) => image.id)).toEqual(personalized);
    expect((await ids({ personalized: "0" })).length).toBe(all.length - 4);
    expect(ZGalleryQuery.safeParse({ personalized: "maybe" }).success).toBe(false);
  });
});

describe("bulk delete, undo and purge", () => {
  it("hides deleted images at once, restores them within the window, purges rows and files after it", async () => {
    const before = await ids();
    const [first, second, third] = before;
    const rows = await writeFiles([first!, second!, third!]);
    const folder = await createFolder(db, userId, { name: "Doomed" });
    await addToFolder(db, userId, folder.id, [first!, second!]);

    expect(await deleteImages(db, userId, [first!, second!])).toEqual({ count: 2 });
    expect(await ids()).toEqual(before.slice(2));
    expect(await ids({ folder: folder.id })).toEqual([]);
    await expect(getImageDetail(db, userId, first!)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Deleted images cannot be deleted again, added to folders or zipped.
    await expect(deleteImages(db, userId, [first!])).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addToFolder(db, userId, folder.id, [first!])).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Undo while the toast shows.
    expect(await restoreImages(db, userId, [first!])).toEqual({ count: 1 });
    expect(await ids()).toEqual([first!, ...before.slice(2)]);
    expect(await ids({ folder: folder.id })).toEqual([first!]);

    // A purge within the window removes nothing.
    expect(await purgeDeletedImages(db, storageDir)).toBe(0);
    expect(existsSync(imagePath(storageDir, rows.find((row) => row.id === second)!.storageKey, "full"))).toBe(true);

    // After the window: too late to undo, and the purge removes rows and files.
    await db.$executeRaw`UPDATE image SET "deletedAt" = now() - interval '31 seconds' WHERE id = ${second!}`;
    await expect(restoreImages(db, userId, [second!])).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await purgeDeletedImages(db, storageDir)).toBe(1);
    expect(await db.image.count({ where: { id: second! } })).toBe(0);
    expect(await db.folderImage.count({ where: { imageId: second! } })).toBe(0);
    const purgedKey = rows.find((row) => row.id === second)!.storageKey;
    expect(existsSync(imagePath(storageDir, purgedKey, "full"))).toBe(false);
    expect(existsSync(imagePath(storageDir, purgedKey, "thumb"))).toBe(false);
    // The others' files are untouched.
    expect(existsSync(imagePath(storageDir, rows.find((row) => row.id === first)!.storageKey, "full"))).toBe(true);
    await expect(restoreImages(db, userId, [second!])).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows a deleted ancestor as removed in lineage, before and after the purge", async () => {
    const [parent] = (await listImages(db, userId, query({ type: "imagine", limit: "1" }))).images;
    const parentJob = await db.job.findUniqueOrThrow({ where: { id: parent!.jobId } });
    const child = await db.job.create({
      data: {
        userId, type: "vary-subtle", mode: "fast", status: "completed", prompt: parentJob.prompt, recipe: parentJob.recipe ?? {}, params: parentJob.params ?? {},
        modelId: "mirage-tiny", parentImageId: parent!.id,
        images: { create: [{ userId, index: 0, seed: 1n, width: 128, height: 128, storageKey: `${userId}/child/0`, recipe: {} }] },
      },
      include: { images: true },
    });
    await db.ledgerEntry.create({ data: { userId, jobId: child.id, kind: "settle", amountMs: 0n, multiplier: 1, periodStart: new Date(Date.UTC(2026, 0, 1)) } });
    const childImage = child.images[0]!.id;
    expect((await getImageDetail(db, userId, childImage)).lineage.ancestors.map((node) => node.type)).toEqual(["imagine"]);
    expect((await getImageDetail(db, userId, parent!.id)).lineage.children).toEqual([expect.objectContaining({ id: childImage, removed: false })]);

    await deleteImages(db, userId, [parent!.id]);
    expect((await getImageDetail(db, userId, childImage)).lineage.ancestors).toEqual([{ id: "removed", type: "removed", thumbUrl: null, removed: true }]);
    await db.$executeRaw`UPDATE image SET "deletedAt" = now() - interval '31 seconds' WHERE id = ${parent!.id}`;
    expect(await purgeDeletedImages(db, storageDir)).toBe(1);
    expect((await getImageDetail(db, userId, childImage)).lineage.ancestors).toEqual([{ id: "removed", type: "removed", thumbUrl: null, removed: true }]);

    // And a deleted child shows as removed from its parent's side.
    await deleteImages(db, userId, [childImage]);
    await expect(getImageDetail(db, userId, childImage)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("zips the chosen images, streamed, with one entry per image", async () => {
    const chosen = (await ids()).slice(0, 3);
    await writeFiles(chosen);
    const entries = await zipEntriesFor(db, userId, chosen);
    const chunks: Uint8Array[] = [];
    const reader = zipStream(storageDir, entries).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    expect(chunks.length).toBeGreaterThan(1);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    expect(Object.keys(files).sort()).toEqual(entries.map((entry) => entry.name).sort());
    expect(new Set(Object.keys(files)).size).toBe(3);
    for (const [index, entry] of entries.entries()) expect(new TextDecoder().decode(files[entry.name])).toBe(`png of ${chosen[index]}`);
    expect(ZImageIdsRequest.safeParse({ imageIds: [] }).success).toBe(false);
    expect(ZImageIdsRequest.safeParse({ imageIds: Array.from({ length: 501 }, (_, n) => String(n)) }).success).toBe(false);
  });
});
