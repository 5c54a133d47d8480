import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareAccountDeletion } from "@/lib/server/account-deletion";
import { imagePath, writeFileAtomic } from "@/lib/storage";
import { createApiToken } from "@/lib/server/tokens";
import type { TFolder, TGalleryImage, TImageDetail } from "@/lib/schemas/gallery";
import { seedUser, testDb } from "../support/db";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { seedFixtureImage } from "../support/seed-image";

/**
 * Team folders over real HTTP and the real route modules (docs/teams.md,
 * "Team folders"): members share their own images into a team folder and
 * every member reads them there (listing, detail, file, zip), but only
 * through the folder and only to read; a non-member gets 404, a member who
 * leaves loses access at once, and the folder's managers take anything out.
 * Describe follows the same access rule as viewing, and a team folder
 * outlives its maker's account (it passes to a teammate).
 */
const db = testDb();
const prefix = `${inject("redisPrefix")}-team-folders`;
let server: RouteServer;
let storageDir = "";

interface Member {
  id: string;
  name: string;
  token: string;
}
let alice: Member; // member, makes the folder
let bob: Member; // member
let olga: Member; // the team's owner
let xavier: Member; // in no team
let teamId = "";
let teamName = "";
let aliceShared = "";
let alicePrivate = "";
let bobImage = "";

async function member(name: string): Promise<Member> {
  const user = await seedUser(db);
  await db.user.update({ where: { id: user.id }, data: { name } });
  return { id: user.id, name, token: (await createApiToken(db, user.id, "team-folders")).token };
}

function api(who: Member, route: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  return fetch(`${server.url}${route}`, {
    ...rest,
    ...(json !== undefined && { body: JSON.stringify(json) }),
    headers: { Authorization: `Bearer ${who.token}`, "Content-Type": "application/json", ...rest.headers },
  });
}

async function expectStatus(response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return text ? (JSON.parse(text) as unknown) : null;
}

const folderList = async (who: Member) => ((await expectStatus(await api(who, "/api/v1/folders"), 200)) as { folders: TFolder[] }).folders;
const folderImages = async (who: Member, folderId: string, extra = "") =>
  ((await expectStatus(await api(who, `/api/v1/images?folder=${folderId}${extra}`), 200)) as { images: TGalleryImage[] }).images;

/** The image's PNG and thumbnail in the store, each holding a text that names it. */
async function writeFiles(imageId: string) {
  const { storageKey } = await db.image.findUniqueOrThrow({ where: { id: imageId }, select: { storageKey: true } });
  await writeFileAtomic(imagePath(storageDir, storageKey, "full"), new TextEncoder().encode(`png of ${imageId}`));
  await writeFileAtomic(imagePath(storageDir, storageKey, "thumb"), new TextEncoder().encode(`webp of ${imageId}`));
}

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-team-folders-"));
  server = await startRouteServer({ databaseUrl: inject("databaseUrl"), redisUrl: inject("redisUrl"), prefix, storageDir });
  // One at a time: seedUser upserts the plans, and concurrent upserts of one row race.
  alice = await member("Alice Ames");
  bob = await member("Bob Baker");
  olga = await member("Olga Owens");
  xavier = await member("Xavier Xu");
  teamName = `Studio ${randomBytes(3).toString("hex")}`;
  teamId = (
    await db.team.create({
      data: { name: teamName, members: { create: [{ userId: olga.id, role: "owner" }, { userId: alice.id }, { userId: bob.id }] } },
    })
  ).id;
  aliceShared = await seedFixtureImage(db, alice.id, "a lighthouse at dusk");
  alicePrivate = await seedFixtureImage(db, alice.id, "a private sketch");
  bobImage = await seedFixtureImage(db, bob.id, "a harbour crane");
  await Promise.all([aliceShared, alicePrivate, bobImage].map(writeFiles));
});

afterAll(async () => {
  await server.close();
  await db.team.deleteMany({ where: { id: teamId } });
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

describe("team folders", () => {
  let folder: TFolder;

  it("a member makes a team folder and shares their own image into it; only members of a team can", async () => {
    const refused = (await expectStatus(await api(xavier, "/api/v1/folders", { method: "POST", json: { name: "Ours", team: true } }), 403)) as { error: { message: string } };
    expect(refused.error.message).toMatch(/not in a team/);
    await expectStatus(await api(alice, "/api/v1/folders", { method: "POST", json: { name: "Boats", team: true, query: { q: "boat" } } }), 400);
    await expectStatus(await api(alice, "/api/v1/folders", { method: "POST", json: { name: "Boats", team: "yes" } }), 400);

    folder = (await expectStatus(await api(alice, "/api/v1/folders", { method: "POST", json: { name: "Moodboard", team: true } }), 201)) as TFolder;
    expect(folder).toMatchObject({ name: "Moodboard", query: null, imageCount: 0, team: { id: teamId, name: teamName }, canManage: true });
    // Names are unique within the team.
    await expectStatus(await api(bob, "/api/v1/folders", { method: "POST", json: { name: "Moodboard", team: true } }), 409);
    // A personal folder says it is not a team's.
    expect(await expectStatus(await api(alice, "/api/v1/folders", { method: "POST", json: { name: "Mine" } }), 201)).toMatchObject({ team: null, canManage: true });

    expect(await expectStatus(await api(alice, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [aliceShared] } }), 200)).toEqual({ count: 1 });
    // Only one's own images go in: Bob's is not Alice's to share (and she cannot see it: 404).
    await expectStatus(await api(alice, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [bobImage] } }), 404);
  });

  it("every member lists the folder and reads the images in it: listing, detail, file and zip", async () => {
    const listed = (await folderList(bob)).find((candidate) => candidate.id === folder.id);
    expect(listed).toMatchObject({ name: "Moodboard", team: { id: teamId, name: teamName }, imageCount: 1, canManage: false });

    const images = await folderImages(bob, folder.id);
    expect(images.map((image) => image.id)).toEqual([aliceShared]);
    expect(images[0]).toMatchObject({ addedBy: "Alice Ames", liked: false, prompt: "a lighthouse at dusk" });
    // Alice sees her own image without an "added by".
    expect((await folderImages(alice, folder.id))[0]).not.toHaveProperty("addedBy");

    const detail = (await expectStatus(await api(bob, `/api/v1/images/${aliceShared}`), 200)) as TImageDetail;
    expect(detail).toMatchObject({ id: aliceShared, addedBy: "Alice Ames", lineage: { ancestors: [], children: [] } });
    const full = await api(bob, `/api/v1/images/${aliceShared}/file?size=full`);
    expect(full.status).toBe(200);
    expect(await full.text()).toBe(`png of ${aliceShared}`);
    const thumb = await api(bob, `/api/v1/images/${aliceShared}/file?size=thumb`);
    expect(await thumb.text()).toBe(`webp of ${aliceShared}`);

    const zip = await api(bob, "/api/v1/images/zip", { method: "POST", json: { imageIds: [aliceShared, bobImage] } });
    expect(zip.status).toBe(200);
    const entries = Object.values(unzipSync(new Uint8Array(await zip.arrayBuffer()))).map((bytes) => new TextDecoder().decode(bytes));
    expect(entries.sort()).toEqual([`png of ${aliceShared}`, `png of ${bobImage}`].sort());
  });

  it("shares only what is in the folder: a teammate's other images stay private", async () => {
    const everything = ((await expectStatus(await api(bob, "/api/v1/images?limit=100"), 200)) as { images: TGalleryImage[] }).images.map((image) => image.id);
    expect(everything).toEqual([bobImage]);
    await expectStatus(await api(bob, `/api/v1/images/${alicePrivate}`), 404);
    await expectStatus(await api(bob, `/api/v1/images/${alicePrivate}/file?size=thumb`), 404);
    await expectStatus(await api(bob, "/api/v1/images/zip", { method: "POST", json: { imageIds: [aliceShared, alicePrivate] } }), 404);
    await expectStatus(await api(bob, `/api/v1/images/${alicePrivate}/like`, { method: "POST" }), 404);
  });

  it("lets a member describe a teammate's shared image, by the rule that lets them view it; anything they cannot see stays 404", async () => {
    const describe = (who: Member, imageId: string) => api(who, "/api/v1/describe", { method: "POST", json: { imageId } });
    // Past the access check: the test studio's model has no describer and no vision model is set, so the answer is
    // that 400; before the access check passes, it is 404 whatever the model.
    const shared = (await expectStatus(await describe(bob, aliceShared), 400)) as { error: { message: string } };
    expect(shared.error.message).toMatch(/Describe is not available/);
    expect(((await expectStatus(await describe(alice, aliceShared), 400)) as { error: { message: string } }).error.message).toMatch(/Describe is not available/);
    for (const [who, imageId] of [[bob, alicePrivate], [xavier, aliceShared]] as const) {
      const hidden = (await expectStatus(await describe(who, imageId), 404)) as { error: { message: string } };
      expect(hidden.error.message).toMatch(/No such image/);
    }
  });

  it("is read-only for anyone but the owner: like, delete, vary, upscale, edit and reuse are refused with 403 naming the owner", async () => {
    const refusals = [
      api(bob, `/api/v1/images/${aliceShared}/like`, { method: "POST" }),
      api(bob, `/api/v1/images/${aliceShared}/like`, { method: "DELETE" }),
      api(bob, `/api/v1/images/${aliceShared}`, { method: "DELETE" }),
      api(bob, "/api/v1/images", { method: "DELETE", json: { imageIds: [aliceShared] } }),
      api(bob, `/api/v1/images/${aliceShared}/vary`, { method: "POST", json: { strength: "subtle" } }),
      api(bob, `/api/v1/images/${aliceShared}/upscale`, { method: "POST", json: { kind: "subtle" } }),
      api(bob, `/api/v1/images/${aliceShared}/edit`, { method: "POST", json: { kind: "zoom", factor: 2 } }),
      api(bob, "/api/v1/jobs", { method: "POST", json: { prompt: "in the style of this", imagePrompt: { imageId: aliceShared } } }),
      api(bob, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [aliceShared] } }),
    ];
    for (const response of await Promise.all(refusals)) {
      const body = (await expectStatus(response, 403)) as { error: { message: string } };
      expect(body.error.message).toMatch(/Alice Ames/);
    }
    const image = await db.image.findUniqueOrThrow({ where: { id: aliceShared }, select: { likedAt: true, deletedAt: true } });
    expect(image).toEqual({ likedAt: null, deletedAt: null });
    expect(await db.job.count({ where: { userId: bob.id } })).toBe(1);

    // Alice's own like is hers: Bob still sees the image unliked.
    await expectStatus(await api(alice, `/api/v1/images/${aliceShared}/like`, { method: "POST" }), 200);
    expect((await folderImages(bob, folder.id))[0]).toMatchObject({ liked: false });
    expect(await folderImages(bob, folder.id, "&liked=1")).toEqual([]);
    expect((await folderImages(alice, folder.id, "&liked=1")).map((one) => one.id)).toEqual([aliceShared]);
  });

  it("members add their own images and take out only those; the creator and the team's owner manage the folder", async () => {
    await expectStatus(await api(bob, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [bobImage] } }), 200);
    expect((await folderImages(alice, folder.id)).map((image) => [image.id, image.addedBy])).toEqual([
      [bobImage, "Bob Baker"],
      [aliceShared, undefined],
    ]);
    // Search in a team folder covers every member's prompts.
    expect((await folderImages(alice, folder.id, "&q=crane")).map((image) => image.id)).toEqual([bobImage]);

    await expectStatus(await api(bob, `/api/v1/folders/${folder.id}/images`, { method: "DELETE", json: { imageIds: [aliceShared] } }), 403);
    await expectStatus(await api(bob, `/api/v1/folders/${folder.id}`, { method: "PATCH", json: { name: "Bob's now" } }), 403);
    await expectStatus(await api(bob, `/api/v1/folders/${folder.id}`, { method: "DELETE" }), 403);
    expect(await expectStatus(await api(bob, `/api/v1/folders/${folder.id}/images`, { method: "DELETE", json: { imageIds: [bobImage] } }), 200)).toEqual({ count: 1 });
    await expectStatus(await api(bob, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [bobImage] } }), 200);

    // The team's owner takes out anyone's image and renames the folder.
    expect((await folderList(olga)).find((candidate) => candidate.id === folder.id)).toMatchObject({ canManage: true, imageCount: 2 });
    expect(await expectStatus(await api(olga, `/api/v1/folders/${folder.id}/images`, { method: "DELETE", json: { imageIds: [aliceShared] } }), 200)).toEqual({ count: 1 });
    expect(await expectStatus(await api(olga, `/api/v1/folders/${folder.id}`, { method: "PATCH", json: { name: "Team moodboard" } }), 200)).toMatchObject({
      name: "Team moodboard",
      team: { name: teamName },
    });
    // Out of the folder, Alice's image is hers alone again.
    await expectStatus(await api(bob, `/api/v1/images/${aliceShared}`), 404);
    await expectStatus(await api(alice, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [aliceShared] } }), 200);
  });

  it("answers 404 to anyone outside the team, for the folder and its images", async () => {
    expect((await folderList(xavier)).map((candidate) => candidate.id)).not.toContain(folder.id);
    await expectStatus(await api(xavier, `/api/v1/images?folder=${folder.id}`), 404);
    await expectStatus(await api(xavier, `/api/v1/images/${aliceShared}`), 404);
    await expectStatus(await api(xavier, `/api/v1/images/${aliceShared}/file?size=full`), 404);
    await expectStatus(await api(xavier, `/api/v1/images/${aliceShared}/like`, { method: "POST" }), 404);
    await expectStatus(await api(xavier, `/api/v1/images/${aliceShared}/vary`, { method: "POST", json: { strength: "subtle" } }), 404);
    await expectStatus(await api(xavier, "/api/v1/images/zip", { method: "POST", json: { imageIds: [aliceShared] } }), 404);
    await expectStatus(await api(xavier, `/api/v1/folders/${folder.id}`, { method: "PATCH", json: { name: "Mine now" } }), 404);
    await expectStatus(await api(xavier, `/api/v1/folders/${folder.id}`, { method: "DELETE" }), 404);
    await expectStatus(await api(xavier, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [] } }), 400);
    const xavierImage = await seedFixtureImage(db, xavier.id);
    await expectStatus(await api(xavier, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [xavierImage] } }), 404);
    await expectStatus(await api(xavier, `/api/v1/folders/${folder.id}/images`, { method: "DELETE", json: { imageIds: [aliceShared] } }), 404);
  });

  it("ends access the moment a member leaves, both ways", async () => {
    await db.teamMember.delete({ where: { userId: bob.id } });
    // Bob no longer sees the folder or Alice's image in it…
    expect((await folderList(bob)).map((candidate) => candidate.id)).not.toContain(folder.id);
    await expectStatus(await api(bob, `/api/v1/images?folder=${folder.id}`), 404);
    await expectStatus(await api(bob, `/api/v1/images/${aliceShared}`), 404);
    await expectStatus(await api(bob, `/api/v1/images/${aliceShared}/file?size=thumb`), 404);
    await expectStatus(await api(bob, "/api/v1/images/zip", { method: "POST", json: { imageIds: [aliceShared] } }), 404);
    // …and the team no longer sees the image Bob had added.
    expect((await folderImages(alice, folder.id)).map((image) => image.id)).toEqual([aliceShared]);
    expect((await folderList(alice)).find((candidate) => candidate.id === folder.id)).toMatchObject({ imageCount: 1 });
    await expectStatus(await api(alice, `/api/v1/images/${bobImage}`), 404);
    // Bob still has his own image.
    await expectStatus(await api(bob, `/api/v1/images/${bobImage}`), 200);
  });

  it("lets the member who made it delete it; the images stay with their owners", async () => {
    await expectStatus(await api(alice, `/api/v1/folders/${folder.id}`, { method: "DELETE" }), 204);
    expect((await folderList(olga)).map((candidate) => candidate.id)).not.toContain(folder.id);
    await expectStatus(await api(alice, `/api/v1/images/${aliceShared}`), 200);
    await expectStatus(await api(olga, `/api/v1/images/${aliceShared}`), 404);
  });
});

describe("a team folder when its maker deletes their account", () => {
  /** What the account-deletion hook runs before the rows go, then the rows going (better-auth deletes the user row). */
  async function deleteAccount(userId: string) {
    await prepareAccountDeletion(db, userId);
    await db.user.delete({ where: { id: userId } });
  }

  it("stays with the team: it passes to the team's owner, with what teammates filed in it; the leaver's own images go", async () => {
    const folder = (await expectStatus(await api(alice, "/api/v1/folders", { method: "POST", json: { name: "Handover", team: true } }), 201)) as TFolder;
    const olgaImage = await seedFixtureImage(db, olga.id, "a pier at noon");
    await expectStatus(await api(olga, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [olgaImage] } }), 200);
    await expectStatus(await api(alice, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [aliceShared] } }), 200);
    // The owner already has a folder of her own by that name: the one she inherits gets another.
    await expectStatus(await api(olga, "/api/v1/folders", { method: "POST", json: { name: "Handover" } }), 201);

    await deleteAccount(alice.id);

    const kept = (await folderList(olga)).find((candidate) => candidate.id === folder.id);
    expect(kept).toMatchObject({ name: "Handover (2)", team: { id: teamId, name: teamName }, imageCount: 1, canManage: true });
    expect(await db.folder.findUniqueOrThrow({ where: { id: folder.id }, select: { userId: true } })).toEqual({ userId: olga.id });
    expect((await folderImages(olga, folder.id)).map((image) => image.id)).toEqual([olgaImage]);
    expect(await db.image.count({ where: { id: { in: [aliceShared, alicePrivate] } } })).toBe(0);
  });

  it("passes to another member when the maker was the team's owner; with nobody left, it goes with the account", async () => {
    const pat = await member("Pat Pine");
    const quinn = await member("Quinn Quill");
    const team = await db.team.create({ data: { name: `Studio ${randomBytes(3).toString("hex")}`, members: { create: [{ userId: pat.id, role: "owner" }, { userId: quinn.id }] } } });
    try {
      const folder = (await expectStatus(await api(pat, "/api/v1/folders", { method: "POST", json: { name: "Refs", team: true } }), 201)) as TFolder;
      const quinnImage = await seedFixtureImage(db, quinn.id, "a kite over dunes");
      await expectStatus(await api(quinn, `/api/v1/folders/${folder.id}/images`, { method: "POST", json: { imageIds: [quinnImage] } }), 200);
      await deleteAccount(pat.id);
      expect((await folderList(quinn)).find((candidate) => candidate.id === folder.id)).toMatchObject({ name: "Refs", imageCount: 1, canManage: true });

      // Quinn, alone in the team now, makes a folder and leaves: nobody is left to hand it to.
      const last = (await expectStatus(await api(quinn, "/api/v1/folders", { method: "POST", json: { name: "Last", team: true } }), 201)) as TFolder;
      await deleteAccount(quinn.id);
      expect(await db.folder.count({ where: { id: { in: [folder.id, last.id] } } })).toBe(0);
    } finally {
      await db.team.deleteMany({ where: { id: team.id } });
    }
  });
});
