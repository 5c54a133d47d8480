import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getWebContext } from "@/lib/server/context";
import { observeHttpRequest } from "@/lib/server/metrics/http-metrics";
import { startApiServer, type ApiServer } from "../support/api-server";
import { seedUser, testDb } from "../support/db";
import { parsePrometheusText, type PromFamily } from "../support/prometheus-text";

/**
 * GET /metrics (issue 26): the real route module, the real Postgres, rows
 * shaped like the ones the worker writes, and a strict exposition parser.
 */
const db = testDb();
const TOKEN = randomBytes(24).toString("hex");
/** A model id no other test uses, so the gauges checked here are this test's own. */
const MODEL = `metrics-model-${randomBytes(3).toString("hex")}`;
const WORKER = `metrics-worker-${randomBytes(3).toString("hex")}`;
let server: ApiServer;
let storageDir = "";

beforeAll(async () => {
  storageDir = await mkdtemp(path.join(tmpdir(), "mirage-metrics-"));
  server = await startApiServer({
    databaseUrl: inject("databaseUrl"),
    redisUrl: inject("redisUrl"),
    prefix: `${inject("redisPrefix")}-metrics`,
    storageDir,
    env: { METRICS_TOKEN: TOKEN },
    routes: [{ pattern: /^\/metrics$/, load: () => import("@/app/metrics/route") }],
  });
});

afterAll(async () => {
  await server?.close();
  await db.$disconnect();
  await rm(storageDir, { recursive: true, force: true });
});

async function scrape(): Promise<Map<string, PromFamily>> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

function sampleValue(families: Map<string, PromFamily>, sampleName: string, labels: Record<string, string>): number | undefined {
  const family = [...families.values()].find((candidate) => candidate.samples.some((sample) => sample.name === sampleName));
  return family?.samples.find((sample) => sample.name === sampleName && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

describe("/metrics", () => {
  it("needs the metrics token: none or a wrong one is a 401 JSON error", async () => {
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await none.json()).error.code).toBe("UNAUTHORIZED");
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
  });

  it("is a 404 that says how to turn it on when METRICS_TOKEN is unset", async () => {
    const config = getWebContext().config;
    const saved = config.METRICS_TOKEN;
    config.METRICS_TOKEN = undefined;
    try {
      const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(404);
      expect((await response.json()).error.message).toContain("METRICS_TOKEN");
    } finally {
      config.METRICS_TOKEN = saved;
    }
  });

  it("reports queue depth, waits, durations, GPU time, workers, fast time and HTTP figures in valid exposition text", async () => {
    const user = await seedUser(db);
    const now = Date.now();
    await db.workerHeartbeat.create({
      data: { id: WORKER, host: "metrics-host", pid: 1, provider: "cpu", models: [MODEL], startedAt: new Date(now - 600_000), lastSeenAt: new Date(now) },
    });
    const job = (over: Pick<Prisma.JobUncheckedCreateInput, "mode" | "status" | "startedAt" | "finishedAt" | "createdAt"> & { type?: string }): Prisma.JobUncheckedCreateInput => ({
      userId: user.id, type: "imagine", prompt: "a metric", recipe: {}, params: {}, modelId: MODEL, ...over,
    });
    await db.job.createMany({ data: [job({ mode: "fast", status: "queued" }), job({ mode: "fast", status: "queued" }), job({ mode: "relax", status: "running", startedAt: new Date(now) })] });
    observeHttpRequest({ method: "GET", route: "/api/v1/jobs/[id]", status: 200, seconds: 0.02 });

    const before = Date.now();
    const first = await scrape();
    expect(sampleValue(first, "mirage_queue_depth", { mode: "fast", model: MODEL })).toBe(2);
    expect(sampleValue(first, "mirage_jobs_running", { mode: "relax", model: MODEL })).toBe(1);
    expect(sampleValue(first, "mirage_worker_up", { worker: WORKER, host: "metrics-host", provider: "cpu" })).toBe(1);
    expect(sampleValue(first, "mirage_http_requests_total", { method: "GET", route: "/api/v1/jobs/[id]", status: "200" })).toBeGreaterThanOrEqual(1);
    expect(first.get("mirage_http_request_duration_seconds")?.type).toBe("histogram");
    expect(first.get("mirage_fast_time_remaining_seconds")?.type).toBe("gauge");

    // An attempt that started after the first scrape's watermark and finished: the next scrape observes it once.
    const startedAt = new Date(before - 3_500);
    const finished = await db.job.create({
      data: job({ mode: "fast", type: "upscale", status: "completed", createdAt: new Date(before - 63_500), startedAt, finishedAt: startedAt }),
      select: { id: true },
    });
    await db.gpuUsage.create({ data: { jobId: finished.id, attempt: 1, workerId: WORKER, gpuMs: 1_500, wallMs: 2_000, outcome: "completed", createdAt: startedAt } });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const second = await scrape();
    expect(sampleValue(second, "mirage_queue_wait_seconds_count", { mode: "fast", model: MODEL })).toBe(1);
    expect(sampleValue(second, "mirage_queue_wait_seconds_sum", { mode: "fast", model: MODEL })).toBeCloseTo(60, 3);
    expect(sampleValue(second, "mirage_queue_wait_seconds_bucket", { mode: "fast", model: MODEL, le: "30" })).toBe(0);
    expect(sampleValue(second, "mirage_queue_wait_seconds_bucket", { mode: "fast", model: MODEL, le: "60" })).toBe(1);
    expect(sampleValue(second, "mirage_job_duration_seconds_count", { kind: "upscale", mode: "fast" })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(second, "mirage_job_gpu_seconds_sum", { kind: "upscale", mode: "fast" })).toBeGreaterThanOrEqual(1.5);
    expect(sampleValue(second, "mirage_worker_busy_ratio", { worker: WORKER })).toBeCloseTo(2_000 / 300_000, 6);

    // Observed once: a third scrape does not count the same rows again.
    const third = await scrape();
    expect(sampleValue(third, "mirage_queue_wait_seconds_count", { mode: "fast", model: MODEL })).toBe(1);
    await db.job.deleteMany({ where: { modelId: MODEL } });
    await db.workerHeartbeat.delete({ where: { id: WORKER } });
  });
});
