import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelJob } from "@/lib/server/jobs/cancel-job";
import { createApiToken } from "@/lib/server/tokens";
import { expectChaosInvariants } from "../support/chaos-invariants";
import { startChaosWorker, stopChaosWorker, type ChaosWorker } from "../support/chaos-worker";
import { seedUser } from "../support/db";
import { badStreams, openSseStream, percentile, TERMINAL_STATUSES } from "../support/load";
import { startRouteServer, type RouteServer } from "../support/route-server";
import { openScenario, type Scenario } from "./harness";

/**
 * 200 progress streams (SSE) held open while a real worker runs the jobs
 * they watch: every stream connects, none errors, a stream whose job ends
 * gets the final snapshot and is closed by the server, and the API stays
 * responsive meanwhile. CHAOS_SSE_HOLD_MS sets how long they are held
 * (20 s here; `bench/load` holds them a full minute). The worker is slowed
 * (1.5 s per job before inference) so most jobs are still queued or running
 * while the streams are held, and some finish.
 */
const STREAMS = 200;
const HOLD_MS = Number(process.env.CHAOS_SSE_HOLD_MS ?? 20_000);
const USERS = 10;
const JOBS_PER_USER = 3;

let scenario: Scenario;
let server: RouteServer;
let worker: ChaosWorker;
const users: Array<{ id: string; token: string; jobIds: string[] }> = [];

beforeAll(async () => {
  scenario = await openScenario("sse");
  server = await startRouteServer({ databaseUrl: scenario.databaseUrl, redisUrl: scenario.redisUrl, prefix: scenario.prefix, storageDir: scenario.storageDir });
  for (let n = 0; n < USERS; n += 1) {
    const user = await seedUser(scenario.db);
    scenario.users.push(user.id);
    users.push({ id: user.id, token: (await createApiToken(scenario.db, user.id, "sse")).token, jobIds: [] });
  }
  worker = startChaosWorker({ databaseUrl: scenario.databaseUrl, redisUrl: scenario.redisUrl, prefix: scenario.prefix, storageDir: scenario.storageDir, workerId: "sse-worker", faults: { delayGenerateMs: 1_500 } });
  await worker.ready();
}, 120_000);

afterAll(async () => {
  if (worker) await stopChaosWorker(worker);
  await server?.close();
  await scenario?.close();
});

describe("200 SSE progress streams under load", () => {
  it(`stay connected for ${HOLD_MS / 1000} s while jobs run, and deliver every final outcome`, async () => {
    // Submitted through HTTP, as browsers do.
    const submits = await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: JOBS_PER_USER }, async (_, n) => {
          const response = await fetch(`${server.url}/api/v1/jobs`, {
            method: "POST",
            headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
            body: JSON.stringify({ prompt: `a red boat number ${n} --draft` }),
          });
          const body = (await response.json()) as { id: string };
          if (response.status === 202) user.jobIds.push(body.id);
          return response.status;
        }),
      ),
    );
    expect(submits.every((status) => status === 202), JSON.stringify(submits)).toBe(true);

    const abort = new AbortController();
    const pairs = users.flatMap((user) => user.jobIds.map((jobId) => ({ token: user.token, jobId })));
    const streams = Array.from({ length: STREAMS }, (_, n) => openSseStream(server.url, pairs[n % pairs.length]!.token, pairs[n % pairs.length]!.jobId, abort.signal));

    // Every stream connects (its first `job` snapshot arrives) within a bound, even on a busy box.
    const connectStarted = Date.now();
    while (streams.some((stream) => stream.firstEventMs === null && stream.error === null) && Date.now() - connectStarted < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(streams.filter((stream) => stream.firstEventMs === null).map((stream) => stream.error)).toEqual([]);

    // While they are held, the API keeps answering: job status every 250 ms.
    const statusLatencies: number[] = [];
    const statusCodes: number[] = [];
    const until = Date.now() + HOLD_MS;
    while (Date.now() < until) {
      const pair = pairs[statusLatencies.length % pairs.length]!;
      const t0 = performance.now();
      const response = await fetch(`${server.url}/api/v1/jobs/${pair.jobId}`, { headers: { authorization: `Bearer ${pair.token}` } });
      await response.arrayBuffer();
      statusLatencies.push(performance.now() - t0);
      statusCodes.push(response.status);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const openAtEnd = streams.filter((stream) => stream.status === 200 && !stream.endedByServer && stream.error === null).length;
    // Jobs that ended while the streams were held: their streams get the outcome (allow for the event's trip).
    const finished = await scenario.db.job.findMany({ where: { id: { in: pairs.map((pair) => pair.jobId) }, status: "completed" }, select: { id: true } });
    const done = new Set(finished.map((row) => row.id));
    const settleBy = Date.now() + 10_000;
    while (streams.some((stream) => done.has(stream.jobId) && !stream.endedByServer && stream.error === null) && Date.now() < settleBy) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    abort.abort();
    await Promise.all(streams.map((stream) => stream.done));

    expect(badStreams(streams).map((stream) => `${stream.jobId}: ${stream.status} ${stream.error ?? ""} last=${stream.lastStatus}`)).toEqual([]);
    expect(streams.filter((stream) => stream.status === 200)).toHaveLength(STREAMS);
    expect(finished.length, worker.output()).toBeGreaterThan(0);
    // Every stream of a job that completed while it was held saw the outcome and was closed by the server.
    for (const stream of streams.filter((candidate) => done.has(candidate.jobId))) {
      expect(stream.endedByServer && TERMINAL_STATUSES.has(stream.lastStatus ?? ""), stream.jobId).toBe(true);
    }
    expect(streams.reduce((sum, stream) => sum + (stream.events.progress ?? 0), 0)).toBeGreaterThan(0);
    expect(openAtEnd).toBeGreaterThan(0);
    expect(statusCodes.every((code) => code === 200)).toBe(true);
    const sorted = [...statusLatencies].sort((a, b) => a - b);
    const connect = streams.map((stream) => stream.firstEventMs ?? Number.NaN).sort((a, b) => a - b);
    console.info(`SSE: first event p50 ${percentile(connect, 50).toFixed(0)} ms, max ${percentile(connect, 100).toFixed(0)} ms`);
    console.info(`SSE: ${STREAMS} streams over ${pairs.length} jobs held ${HOLD_MS} ms; ${finished.length} jobs completed meanwhile; ${openAtEnd} streams still open at the end; job status p50 ${percentile(sorted, 50).toFixed(1)} ms p99 ${percentile(sorted, 99).toFixed(1)} ms`);
    expect(percentile(sorted, 99)).toBeLessThan(2_000);

    // Clean up: the worker finishes its job (SIGTERM), what is still queued is cancelled.
    await stopChaosWorker(worker);
    for (const user of users) {
      const open = await scenario.db.job.findMany({ where: { userId: user.id, status: { in: ["queued", "running"] } }, select: { id: true } });
      for (const row of open) await cancelJob(scenario.context, user.id, row.id);
    }
    await expectChaosInvariants(scenario.db, { storageDir: scenario.storageDir, userIds: users.map((user) => user.id), queue: scenario.context.queue });
  }, HOLD_MS + 90_000);
});
