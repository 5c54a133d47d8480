import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ZJobParams } from "@/lib/jobs/registry";
import { deleteImages } from "@/lib/server/gallery/delete-images";
import { purgeDeletedImages } from "@/lib/server/gallery/purge-deleted";
import { createApiToken } from "@/lib/server/tokens";
import { imagePath } from "@/lib/storage";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { seedFixtureImage } from "../support/seed-image";

/**
 * Deleting an image or an upload also deletes the masks of the Region edits
 * made from it (docs/editor.md §3), and nobody else's: edits are made over
 * real HTTP, the masks are looked for on disk.
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-editor-masks`;
let server: RouteServer;
let storageDir = "";

async function user() {
  const seeded = await seedUser(db);
  return { id: seeded.id, token: (await createApiToken(db, seeded.id, "editor-masks")).token };
}

function api(who: { token: string }, route: string, init: RequestInit = {}) {
  return fetch(`${server.url}${route}`, { ...init, headers: { Authorization: `Bearer ${who.token}`, ...init.headers } });
}

const png = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

async function regionMask() {
  const mask = await sharp(await png(64, 64, "#000000")).composite([{ input: await png(16, 16, "#ffffff"), left: 8, top: 8 }]).png().toBuffer();
  return mask.toString("base64");
}

/** Sends a Region edit of the image or upload at `route` and returns the path of the mask it stored. */
async function regionEdit(who: { id: string; token: string }, route: string): Promise<string> {
  const response = await api(who, route, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "region", mask: await regionMask() }) });
  expect(response.status, await response.clone().text()).toBe(202);
  const job = await db.job.findUniqueOrThrow({ where: { id: ((await response.json()) as { id: string }).id }, select: { params: true } });
  const params = ZJobParams.parse(job.params);
  if (params.kind !== "edit" || params.edit.kind !== "region") throw new Error("not a Region edit");
  const file = imagePath(storageDir, params.edit.maskStorageKey, "full");
  expect(existsSync(file)).toBe(true);
  return file;
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-editor-masks-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
});

afterAll(async () => {
  await server.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("edit masks go with what they were drawn on", () => {
  it("deleting an upload deletes its edits' masks, not another upload's or another user's", async () => {
    const [owner, other] = [await user(), await user()];
    const upload = async (who: { token: string }) => {
      const response = await api(who, "/api/v1/uploads", { method: "POST", headers: { "Content-Type": "image/png" }, body: new Uint8Array(await png(96, 64, "#3366cc")) });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const [gone, kept, theirs] = [await upload(owner), await upload(owner), await upload(other)];
    const goneMasks = [await regionEdit(owner, `/api/v1/uploads/${gone}/edit`), await regionEdit(owner, `/api/v1/uploads/${gone}/edit`)];
    const keptMask = await regionEdit(owner, `/api/v1/uploads/${kept}/edit`);
    const theirMask = await regionEdit(other, `/api/v1/uploads/${theirs}/edit`);

    expect((await api(owner, `/api/v1/uploads/${gone}`, { method: "DELETE" })).status).toBe(204);
    expect(goneMasks.map((file) => existsSync(file))).toEqual([false, false]);
    expect(existsSync(keptMask)).toBe(true);
    expect(existsSync(theirMask)).toBe(true);
  });

  it("purging a deleted image deletes its edits' masks; an image inside the undo window keeps them", async () => {
    const owner = await user();
    const [image, sibling] = [await seedFixtureImage(db, owner.id), await seedFixtureImage(db, owner.id)];
    const mask = await regionEdit(owner, `/api/v1/images/${image}/edit`);
    const siblingMask = await regionEdit(owner, `/api/v1/images/${sibling}/edit`);

    await deleteImages(db, owner.id, [image]);
    // Still restorable: nothing is removed yet.
    await purgeDeletedImages(db, storageDir);
    expect(existsSync(mask)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await purgeDeletedImages(db, storageDir, { graceSeconds: 0 })).toBeGreaterThanOrEqual(1);
    expect(existsSync(mask)).toBe(false);
    expect(existsSync(siblingMask)).toBe(true);
  });
});
