/**
 * Gallery search latency over 10,000 images of one user, on a fresh database.
 *
 *   node --experimental-wasm-modules --import tsx bench/gallery/main.ts [--images 10000] [--queries 200]
 *
 * Uses TEST_DATABASE_URL's server when set, else an embedded Postgres.
 * Prints p50/p95 of listImages for a mix of searches and filters (type, ar,
 * liked, dates, model, personalized, a folder, a smart folder; goal: p95 <
 * 50 ms) and the plan of a full-text search.
 */
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db/client";
import { ZGalleryQuery } from "@/lib/schemas/gallery";
import { listImages } from "@/lib/server/gallery/list-images";
import { seedPlans } from "@/lib/server/plans";
import { createUserWithPassword } from "@/lib/server/users";
import { seedGalleryRows } from "../../tests/support/seed-gallery";
import { startTestServices } from "../../tests/support/test-services";

const { values } = parseArgs({ options: { images: { type: "string", default: "10000" }, queries: { type: "string", default: "200" } } });
const services = await startTestServices();
const db = createDb(services.databaseUrl, { max: 4 });
try {
  await seedPlans(db);
  const user = await createUserWithPassword(db, { email: "bench@example.test", password: "bench-password" });
  const jobs = Math.ceil(Number(values.images) / 4);
  const seedStarted = performance.now();
  await seedGalleryRows(db, user.id, jobs);
  await db.$executeRawUnsafe("ANALYZE");
  console.log(`seeded ${jobs * 4} images in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  // A hand-made folder holding every 7th image, and a smart folder (a saved search).
  const folder = await db.folder.create({ data: { userId: user.id, name: "every seventh" } });
  await db.$executeRaw`INSERT INTO folder_image ("folderId", "imageId") SELECT ${folder.id}, id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM image WHERE "userId" = ${user.id}) AS numbered WHERE n % 7 = 0`;
  // One job in 50 was personalized.
  await db.$executeRaw`UPDATE job SET recipe = recipe || '{"personalize":{"enabled":true,"codes":[]}}'::jsonb WHERE "userId" = ${user.id} AND ('x' || substr(md5(id), 1, 8))::bit(32)::int % 50 = 0`;
  const smart = await db.folder.create({ data: { userId: user.id, name: "liked boats", query: { q: "boat", liked: "1" } } });
  await db.$executeRawUnsafe("ANALYZE");

  const today = new Date().toISOString().slice(0, 10);
  const mixes = [
    { q: "boat" }, { q: "red house" }, { q: "night sky" }, { ar: "16:9" }, { type: "draft" }, { liked: "1" }, { q: "blue", ar: "1:1" }, {},
    { personalized: "1" }, { personalized: "0", model: "mirage-tiny" }, { from: today, to: today }, { folder: folder.id }, { folder: smart.id }, { folder: folder.id, q: "moon" },
  ];
  const latencies: number[] = [];
  const byMix = mixes.map(() => [] as number[]);
  for (let n = 0; n < Number(values.queries); n += 1) {
    const started = performance.now();
    await listImages(db, user.id, ZGalleryQuery.parse(mixes[n % mixes.length]));
    latencies.push(performance.now() - started);
    byMix[n % mixes.length]!.push(performance.now() - started);
  }
  for (const [index, times] of byMix.entries()) {
    times.sort((a, b) => a - b);
    const label = JSON.stringify(mixes[index]).replace(folder.id, "<folder>").replace(smart.id, "<smart folder>");
    console.log(`  ${label.padEnd(48)} median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(`listImages over ${jobs * 4} images, ${values.queries} queries (search, filters, folders): p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (goal p95 < 50 ms)`);
  // The plan of listImages' search as it runs it (a semi-join over the user's jobs): a common word and a rarer phrase.
  for (const words of ["boat", "red house"]) {
    const plan = await db.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
      `EXPLAIN ANALYZE SELECT i.id FROM image i JOIN job j ON j.id = i."jobId"
        WHERE i."userId" = $1 AND i."deletedAt" IS NULL
          AND i."jobId" IN (SELECT sj.id FROM job sj WHERE sj."userId" = $1 AND to_tsvector('english', sj.prompt) @@ websearch_to_tsquery('english', $2))
        ORDER BY i.id DESC LIMIT 61`,
      user.id,
      words,
    );
    console.log(`plan of q=${words}:\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
  }
  console.log(`command: node --experimental-wasm-modules --import tsx bench/gallery/main.ts --images ${values.images} --queries ${values.queries}`);
} finally {
  await db.$disconnect();
  await services.stop();
}
