/**
 * Where one job submission spends its time: the submit path's stages (plan
 * the prompt, estimate GPU time, accept = the per-user transaction and the
 * enqueue) and every SQL statement it runs (count and mean duration, from
 * Prisma's query log), for `--submits` submissions by `--concurrency`
 * clients against a database holding `--history` completed jobs per user
 * (10 users) that match none of the submitted prompts' estimate key (the
 * worst case for the estimate's lookup: a rarely used size or quality).
 * Service functions, no HTTP; caps are lifted so every submission is accepted.
 *
 *   node --experimental-wasm-modules --import tsx bench/load/submit-path.ts [--history 5000] [--submits 200] [--concurrency 4]
 */
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createGpuQueues } from "@/lib/jobs/queue";
import { createLogger } from "@/lib/log";
import { createRedis } from "@/lib/redis";
import { estimateGpuMs } from "@/lib/server/accounting/estimate";
import { acceptJobs } from "@/lib/server/jobs/accept-jobs";
import { planImagine } from "@/lib/server/jobs/create-imagine-jobs";
import { seedPlans } from "@/lib/server/plans";
import { createUserWithPassword } from "@/lib/server/users";
import { percentile } from "../../tests/support/load";
import { seedGalleryRows } from "../../tests/support/seed-gallery";
import { startTestServices } from "../../tests/support/test-services";
import { FIXTURE_MODEL, FIXTURE_MODELS_DIR } from "../../tests/support/worker-process";

const { values } = parseArgs({ options: { history: { type: "string", default: "5000" }, submits: { type: "string", default: "200" }, concurrency: { type: "string", default: "4" } } });
const history = Number(values.history);
const submits = Number(values.submits);
const concurrency = Number(values.concurrency);

const services = await startTestServices();
const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: services.databaseUrl, max: 10 }), log: [{ emit: "event", level: "query" }] });
const queries = new Map<string, { count: number; ms: number }>();
let logging = false;
db.$on("query", (event) => {
  if (!logging) return;
  const sql = event.query.replace(/\s+/g, " ").trim().slice(0, 110);
  const entry = queries.get(sql) ?? { count: 0, ms: 0 };
  entry.count += 1;
  entry.ms += event.duration;
  queries.set(sql, entry);
});
const redis = createRedis(services.redisUrl, "request");
const context = { db, queue: createGpuQueues(redis, services.redisPrefix), modelsDir: FIXTURE_MODELS_DIR, defaultModelId: FIXTURE_MODEL, log: createLogger("bench", "silent"), redis, redisPrefix: services.redisPrefix };
try {
  await seedPlans(db);
  await db.plan.update({ where: { name: "Standard" }, data: { queuedJobs: 1_000_000, fastMsPerMonth: 10n ** 12n } });
  const users: string[] = [];
  for (let n = 0; n < 10; n += 1) {
    const user = await createUserWithPassword(db, { email: `submit-${n}@example.test`, password: `submit-password-${n}` });
    await seedGalleryRows(db, user.id, history);
    users.push(user.id);
  }
  await db.$executeRawUnsafe("ANALYZE");

  const stages: Record<"plan" | "estimate" | "accept" | "total", number[]> = { plan: [], estimate: [], accept: [], total: [] };
  logging = true;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < submits) {
        const n = next++;
        const userId = users[n % users.length]!;
        const t0 = performance.now();
        const planned = await planImagine(context, userId, { prompt: `a blue moon ${n} --draft` });
        const t1 = performance.now();
        const params = planned.paramsWithSeed(n);
        // Timed on its own here; acceptJobs runs it again as part of a real submission.
        await estimateGpuMs(db, params);
        const t2 = performance.now();
        await acceptJobs(context, userId, [{ type: "imagine", mode: planned.mode, prompt: params.prompt, recipe: planned.recipe, params }]);
        const t3 = performance.now();
        stages.plan.push(t1 - t0);
        stages.estimate.push(t2 - t1);
        stages.accept.push(t3 - t2);
        stages.total.push(t1 - t0 + (t3 - t2));
      }
    }),
  );
  const elapsed = performance.now() - started;
  console.log(`\n# node --experimental-wasm-modules --import tsx bench/load/submit-path.ts --history ${history} --submits ${submits} --concurrency ${concurrency}`);
  console.log(`# ${new Date().toISOString()}; ${history * 10} completed jobs in the database\n`);
  console.log(`${submits} submissions in ${(elapsed / 1000).toFixed(1)} s (${((submits / elapsed) * 1000).toFixed(1)}/s)`);
  for (const [name, latencies] of Object.entries(stages)) {
    latencies.sort((a, b) => a - b);
    console.log(`${name.padEnd(9)} p50 ${percentile(latencies, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(latencies, 99).toFixed(1).padStart(7)} ms`);
  }
  const perSubmit = [...queries.values()].reduce((sum, entry) => sum + entry.count, 0) / submits;
  console.log(`\nSQL statements per submission (incl. the extra estimate): ${perSubmit.toFixed(1)}; slowest by total time:`);
  for (const [sql, entry] of [...queries].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) {
    console.log(`${String(entry.count).padStart(6)} × ${(entry.ms / entry.count).toFixed(2).padStart(7)} ms  ${sql}`);
  }
} finally {
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
  await services.stop();
}
process.exit(0);
