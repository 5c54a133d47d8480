import { afterAll, describe, expect, it } from "vitest";
import { createFolder, listFolders, updateFolder } from "@/lib/server/gallery/folders";
import { listImages } from "@/lib/server/gallery/list-images";
import { ZGalleryQuery, type TSmartQuery } from "@/lib/schemas/gallery";
import { seedUser, testDb } from "../support/db";

/**
 * Issue 18, finding 5: a smart folder saved with `{ "from": "0000-01-01" }`
 * made every later listing of it fail in Postgres (22008). Saved searches are
 * validated when saved, whoever calls, and listing a folder never reaches
 * Postgres with a stored value it cannot take.
 */
const db = testDb();
afterAll(() => db.$disconnect());

describe("saved searches", () => {
  it("are refused at save time when Postgres could not run them", async () => {
    const user = await seedUser(db);
    for (const query of [{ from: "0000-01-01" }, { to: "+275760-09-13" }, { q: "cat\u0000" }, { q: "\uD800" }] as TSmartQuery[]) {
      await expect(createFolder(db, user.id, { name: `bad ${JSON.stringify(query)}`, query }), JSON.stringify(query)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const folder = await createFolder(db, user.id, { name: "ok", query: { from: "2026-01-01" } });
    await expect(updateFolder(db, user.id, folder.id, { query: { from: "0000-01-01" } as TSmartQuery })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await listFolders(db, user.id)).map((f) => f.name)).toEqual(["ok"]);
  });

  it("stored before this check, still list without an error", async () => {
    const user = await seedUser(db);
    const row = await db.folder.create({ data: { userId: user.id, name: "legacy", query: { from: "0000-01-01" } } });
    const page = await listImages(db, user.id, ZGalleryQuery.parse({ folder: row.id }));
    expect(page.images).toEqual([]);
  });
});
