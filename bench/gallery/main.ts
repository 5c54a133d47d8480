/**
 * Gallery search latency over 10,000 images of one user, on a fresh database.
 *
 *   node --experimental-wasm-modules --import tsx bench/gallery/main.ts [--images 10000] [--queries 200]
 *
 * Uses TEST_DATABASE_URL's server when set, else an embedded Postgres.
 * Prints p50/p95 of listImages for a mix of searches and filters (goal:
 * p95 < 50 ms) and the plan of a full-text search.
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

  const mixes = [{ q: "boat" }, { q: "red house" }, { q: "night sky" }, { ar: "16:9" }, { type: "draft" }, { liked: "1" }, { q: "blue", ar: "1:1" }, {}];
  const latencies: number[] = [];
  for (let n = 0; n < Number(values.queries); n += 1) {
    const started = performance.now();
    await listImages(db, user.id, ZGalleryQuery.parse(mixes[n % mixes.length]));
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(`listImages over ${jobs * 4} images, ${values.queries} queries (search + filters): p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms (goal p95 < 50 ms)`);
  const plan = await db.$queryRawUnsafe<Array<{ "QUERY PLAN": string }>>(
    `EXPLAIN ANALYZE SELECT i.id FROM image i JOIN job j ON j.id = i."jobId" WHERE i."userId" = $1 AND to_tsvector('english', j.prompt) @@ websearch_to_tsquery('english', 'boat') ORDER BY i.id DESC LIMIT 61`,
    user.id,
  );
  console.log(plan.map((row) => row["QUERY PLAN"]).join("\n"));
  console.log(`command: node --experimental-wasm-modules --import tsx bench/gallery/main.ts --images ${values.images} --queries ${values.queries}`);
} finally {
  await db.$disconnect();
  await services.stop();
}
