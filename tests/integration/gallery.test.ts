import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getImageDetail, setImageLiked } from "@/lib/server/gallery/image-detail";
import { listImages } from "@/lib/server/gallery/list-images";
import { ZGalleryQuery } from "@/lib/schemas/gallery";
import { seedUser, testDb } from "../support/db";
import { seedGalleryRows } from "../support/seed-gallery";

const db = testDb();
let userId = "";
let otherId = "";
const query = (input: Record<string, string> = {}) => ZGalleryQuery.parse(input);

beforeAll(async () => {
  userId = (await seedUser(db)).id;
  otherId = (await seedUser(db)).id;
  await seedGalleryRows(db, userId, 60);
  await seedGalleryRows(db, otherId, 5);
});
afterAll(() => db.$disconnect());

describe("gallery", () => {
  it("pages through every image newest first with a cursor, never another user's", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listImages(db, userId, query({ limit: "50", ...(cursor ? { cursor } : {}) }));
      seen.push(...page.images.map((image) => image.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(240);
    expect(new Set(seen).size).toBe(240);
    expect([...seen].sort().reverse()).toEqual(seen);
    const others = await db.image.findMany({ where: { userId: otherId }, select: { id: true } });
    expect(seen.some((id) => others.some((other) => other.id === id))).toBe(false);
  });

  it("searches prompts with full-text search (stemming included) and combines filters", async () => {
    const boats = await listImages(db, userId, query({ q: "boats", limit: "100" }));
    expect(boats.images.length).toBeGreaterThan(0);
    expect(boats.images.every((image) => image.prompt.includes("boat"))).toBe(true);
    const wide = await listImages(db, userId, query({ ar: "16:9", limit: "100" }));
    expect(wide.images.length).toBe(80);
    const drafts = await listImages(db, userId, query({ type: "draft", limit: "100" }));
    expect(drafts.images.every((image) => image.isDraft)).toBe(true);
    const vary = await listImages(db, userId, query({ type: "vary", limit: "100" }));
    expect(vary.images.every((image) => image.type === "vary-subtle")).toBe(true);
    const likedRed = await listImages(db, userId, query({ q: "red", liked: "1", limit: "100" }));
    expect(likedRed.images.every((image) => image.liked && image.prompt.includes("red"))).toBe(true);
  });

  it("likes and unlikes, only for the owner, and shows the recipe and lineage", async () => {
    const [image] = (await listImages(db, userId, query({ limit: "1" }))).images;
    await setImageLiked(db, userId, image!.id, true);
    expect((await getImageDetail(db, userId, image!.id)).liked).toBe(true);
    await setImageLiked(db, userId, image!.id, false);
    expect((await getImageDetail(db, userId, image!.id)).liked).toBe(false);
    await expect(setImageLiked(db, otherId, image!.id, true)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getImageDetail(db, otherId, image!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A Vary whose parent row is gone shows the removed parent in its lineage.
    const vary = (await listImages(db, userId, query({ type: "vary", limit: "1" }))).images[0]!;
    expect((await getImageDetail(db, userId, vary.id)).lineage.ancestors).toEqual([{ id: "removed", type: "removed", thumbUrl: null, removed: true }]);
  });

  it("uses the full-text index for searches", async () => {
    // With few rows Postgres rightly prefers a scan; with scans priced out, the index must be the plan.
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
        `EXPLAIN SELECT id FROM job WHERE to_tsvector('english', prompt) @@ websearch_to_tsquery('english', 'boat')`,
      );
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/job_prompt_fts_idx/);
  });
});
