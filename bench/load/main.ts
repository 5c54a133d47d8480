/**
 * API under load: throughput and p50/p99 latency of submit, job status and
 * gallery list while SSE progress streams are held open and a real worker
 * runs jobs. Self-contained: a throwaway Postgres (TEST_DATABASE_URL's server,
 * else an embedded one) and Redis, the real /api/v1 route handlers behind a
 * Node HTTP server (tests/support/route-server.ts; no Next build), one worker
 * process on the fixture model (slowed by --slow ms per job so jobs stay in
 * flight).
 *
 *   node --experimental-wasm-modules --import tsx bench/load/main.ts [--seconds 60] [--streams 200] [--concurrency 4] [--users 10] [--images 400] [--slow 1500]
 *
 * The streams are opened first (time to connect all of them is printed);
 * then the three request loops run at the same time, each with --concurrency
 * clients, for --seconds while the streams stay open. Submits past
 * a user's plan caps or submission rate limit are answered 429/402 by design;
 * any 5xx is a failure.
 */
import { cpus, loadavg } from "node:os";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db/client";
import { seedPlans } from "@/lib/server/plans";
import { createApiToken } from "@/lib/server/tokens";
import { createUserWithPassword } from "@/lib/server/users";
import { startChaosWorker, stopChaosWorker } from "../../tests/support/chaos-worker";
import { badStreams, closedLoop, formatLoop, openSseStream, percentile, type LoopResult } from "../../tests/support/load";
import { startRouteServer } from "../../tests/support/route-server";
import { seedGalleryRows } from "../../tests/support/seed-gallery";
import { startTestServices } from "../../tests/support/test-services";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    streams: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    users: { type: "string", default: "10" },
    images: { type: "string", default: "400" },
    slow: { type: "string", default: "3000" },
  },
});
const seconds = Number(values.seconds);
const streamCount = Number(values.streams);
const concurrency = Number(values.concurrency);
const userCount = Number(values.users);
const command = `node --experimental-wasm-modules --import tsx bench/load/main.ts --seconds ${seconds} --streams ${streamCount} --concurrency ${concurrency} --users ${userCount} --images ${values.images} --slow ${values.slow}`;

const services = await startTestServices();
const storageDir = await mkdtemp(path.join(tmpdir(), "mirage-load-"));
const db = createDb(services.databaseUrl, { max: 4 });
const prefix = services.redisPrefix;
const server = await startRouteServer({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, prefix, storageDir });
const worker = startChaosWorker({
  databaseUrl: services.databaseUrl,
  redisUrl: services.redisUrl,
  prefix,
  storageDir,
  workerId: "load-worker",
  env: { LOG_LEVEL: "info" },
  faults: { delayGenerateMs: Number(values.slow) },
});
try {
  await seedPlans(db);
  const users: Array<{ id: string; token: string; jobIds: string[] }> = [];
  for (let n = 0; n < userCount; n += 1) {
    const user = await createUserWithPassword(db, { email: `load-${n}@example.test`, password: `load-password-${n}` });
    await seedGalleryRows(db, user.id, Math.ceil(Number(values.images) / 4));
    users.push({ id: user.id, token: (await createApiToken(db, user.id, "load")).token, jobIds: [] });
  }
  await db.$executeRawUnsafe("ANALYZE");
  await worker.ready(120_000);
  const benchStarted = new Date();

  const post = async (user: (typeof users)[number], prompt: string) => {
    const response = await fetch(`${server.url}/api/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt }),
    });
    const body = (await response.json()) as { id?: string };
    if (response.status === 202 && body.id) user.jobIds.push(body.id);
    return response.status;
  };
  // Jobs for the streams to watch (3 per user: the plan's cap on jobs in progress).
  for (const user of users) for (let n = 0; n < 3; n += 1) await post(user, `a red boat ${n}`);
  const watched = users.flatMap((user) => user.jobIds.map((jobId) => ({ token: user.token, jobId })));

  const abort = new AbortController();
  const openStarted = performance.now();
  const streams = Array.from({ length: streamCount }, (_, n) => openSseStream(server.url, watched[n % watched.length]!.token, watched[n % watched.length]!.jobId, abort.signal));

  // Let every stream connect first (reported separately), then measure the steady state.
  while (streams.some((stream) => stream.firstEventMs === null && stream.error === null) && performance.now() - openStarted < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const connectedMs = performance.now() - openStarted;
  const durationMs = seconds * 1000;
  const get = async (token: string, route: string) => {
    const response = await fetch(`${server.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response.status;
  };
  const results: LoopResult[] = await Promise.all([
    closedLoop("submit", { concurrency, durationMs, request: (n) => post(users[n % users.length]!, `a blue moon ${n} --draft`) }),
    closedLoop("job status", { concurrency, durationMs, request: (n) => get(watched[n % watched.length]!.token, `/api/v1/jobs/${watched[n % watched.length]!.jobId}`) }),
    closedLoop("gallery", { concurrency, durationMs, request: (n) => get(users[n % users.length]!.token, "/api/v1/images") }),
  ]);
  const heldMs = performance.now() - openStarted;
  const openAtEnd = streams.filter((stream) => stream.status === 200 && !stream.endedByServer && stream.error === null).length;
  abort.abort();
  await Promise.all(streams.map((stream) => stream.done));
  const firstEvent = streams.map((stream) => stream.firstEventMs ?? Number.NaN).filter(Number.isFinite).sort((a, b) => a - b);
  const completed = await db.job.count({ where: { status: "completed", finishedAt: { gte: benchStarted } } });

  console.log(`\n# ${command}`);
  console.log(`# ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((n) => n.toFixed(1)).join(" ")}; ${new Date().toISOString()}`);
  console.log(`# ${userCount} users × ${values.images} gallery images; ${concurrency} clients per loop; worker on the fixture model, +${values.slow} ms per job\n`);
  for (const result of results) console.log(formatLoop(result));
  console.log(
    `\nSSE: ${streamCount} streams on ${watched.length} jobs held ${(heldMs / 1000).toFixed(1)} s; connected ${streams.filter((stream) => stream.status === 200).length} (all within ${(connectedMs / 1000).toFixed(1)} s), ` +
      `first event p50 ${percentile(firstEvent, 50).toFixed(0)} ms / p99 ${percentile(firstEvent, 99).toFixed(0)} ms; ` +
      `${openAtEnd} still open at the end, ${streams.filter((stream) => stream.endedByServer).length} closed by the server after their job ended; ` +
      `${streams.reduce((sum, stream) => sum + (stream.events.progress ?? 0), 0)} progress events; broken streams: ${badStreams(streams).length}`,
  );
  console.log(`jobs completed by the worker meanwhile: ${completed}`);
  const serverErrors = results.reduce((sum, result) => sum + Object.entries(result.statuses).filter(([status]) => Number(status) >= 500 || status === "0").reduce((s, [, count]) => s + count, 0), 0);
  if (serverErrors > 0 || badStreams(streams).length > 0) {
    console.error(`FAILED: ${serverErrors} 5xx/network errors, ${badStreams(streams).length} broken streams`);
    process.exitCode = 1;
  }
} finally {
  await stopChaosWorker(worker, "SIGKILL");
  await server.close();
  await db.$disconnect();
  await services.stop();
  await rm(storageDir, { recursive: true, force: true });
}
// The web context's QueueEvents connection has no close; do not wait for it.
process.exit(process.exitCode ?? 0);
