import { Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "@/lib/db/client";

/**
 * What the workers and the queue are doing, read from Postgres when
 * /metrics is scraped (docs/operations-metrics-audit.md §1). Workers write
 * heartbeats, job rows and GPU-usage rows there already, so no worker opens
 * a port and every web process can answer a scrape.
 *
 * Gauges are set from the current state. Histograms are cumulative, as
 * Prometheus expects: each scrape observes the events that happened since the
 * previous one (a watermark, kept a few seconds behind now so rows committed
 * late are not skipped), so they count from this process's first scrape.
 */

/** Rows whose time is within this of now are left for the next scrape: their transaction may still be committing. */
const SETTLE_MS = 5_000;
/** A worker is up when its last heartbeat is at most this old. */
const HEARTBEAT_FRESH_MS = 60_000;
/** Busy ratio window: GPU wall time of attempts that ended in the last 5 minutes. */
const BUSY_WINDOW_MS = 5 * 60_000;

const SECONDS_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];

interface StudioMetrics {
  registry: Registry;
  watermark: Date | null;
  /** Scrapes run one at a time, so two never observe the same rows. */
  running: Promise<unknown>;
  queueDepth: Gauge<"mode" | "model">;
  running_: Gauge<"mode" | "model">;
  queueWait: Histogram<"mode" | "model">;
  jobDuration: Histogram<"kind" | "mode">;
  jobGpu: Histogram<"kind" | "mode">;
  workerUp: Gauge<"worker" | "host" | "provider">;
  workerHeartbeat: Gauge<"worker">;
  workerBusy: Gauge<"worker">;
  fastRemaining: Gauge;
  usersOutOfFast: Gauge;
  usersWithAccount: Gauge;
}

function createStudioMetrics(): StudioMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    watermark: null,
    running: Promise.resolve(),
    queueDepth: new Gauge({ name: "mirage_queue_depth", help: "Jobs waiting for a GPU, by mode and model.", labelNames: ["mode", "model"], registers }),
    running_: new Gauge({ name: "mirage_jobs_running", help: "Jobs running on a GPU, by mode and model.", labelNames: ["mode", "model"], registers }),
    queueWait: new Histogram({ name: "mirage_queue_wait_seconds", help: "Time from acceptance to a worker starting the job, by mode and model.", labelNames: ["mode", "model"], buckets: SECONDS_BUCKETS, registers }),
    jobDuration: new Histogram({ name: "mirage_job_duration_seconds", help: "Wall time of each job attempt on a worker, by job kind and mode.", labelNames: ["kind", "mode"], buckets: SECONDS_BUCKETS, registers }),
    jobGpu: new Histogram({ name: "mirage_job_gpu_seconds", help: "GPU (inference) time of each job attempt, by job kind and mode.", labelNames: ["kind", "mode"], buckets: SECONDS_BUCKETS, registers }),
    workerUp: new Gauge({ name: "mirage_worker_up", help: "1 when the worker's heartbeat is under a minute old, else 0 (workers seen in the last hour).", labelNames: ["worker", "host", "provider"], registers }),
    workerHeartbeat: new Gauge({ name: "mirage_worker_last_heartbeat_timestamp_seconds", help: "Unix time of the worker's last heartbeat.", labelNames: ["worker"], registers }),
    workerBusy: new Gauge({ name: "mirage_worker_busy_ratio", help: "Share of the last 5 minutes the worker spent running job attempts (0-1).", labelNames: ["worker"], registers }),
    fastRemaining: new Gauge({ name: "mirage_fast_time_remaining_seconds", help: "Fast GPU time left this period, summed over users with a usage account.", registers }),
    usersOutOfFast: new Gauge({ name: "mirage_users_out_of_fast_time", help: "Users with no fast time left this period.", registers }),
    usersWithAccount: new Gauge({ name: "mirage_users_with_usage_account", help: "Users with a usage account in the current period.", registers }),
  };
}

const KEY = Symbol.for("mirage.studioMetrics");
const store = globalThis as typeof globalThis & { [KEY]?: StudioMetrics };

async function setQueueGauges(db: Db, metrics: StudioMetrics): Promise<void> {
  const rows = await db.$queryRaw<{ status: string; mode: string; model: string; jobs: bigint }[]>`
    SELECT status::text AS status, mode::text AS mode, "modelId" AS model, count(*) AS jobs
      FROM job WHERE status IN ('queued', 'running') GROUP BY 1, 2, 3`;
  metrics.queueDepth.reset();
  metrics.running_.reset();
  for (const row of rows) (row.status === "queued" ? metrics.queueDepth : metrics.running_).set({ mode: row.mode, model: row.model }, Number(row.jobs));
}

async function observeSince(db: Db, metrics: StudioMetrics, from: Date, to: Date): Promise<void> {
  const waits = await db.$queryRaw<{ mode: string; model: string; wait_ms: number }[]>`
    SELECT mode::text AS mode, "modelId" AS model, GREATEST(0, EXTRACT(EPOCH FROM ("startedAt" - "createdAt")) * 1000)::float8 AS wait_ms
      FROM job WHERE "startedAt" > ${from} AND "startedAt" <= ${to}`;
  for (const row of waits) metrics.queueWait.observe({ mode: row.mode, model: row.model }, row.wait_ms / 1000);
  const attempts = await db.$queryRaw<{ kind: string; mode: string; wall_ms: number; gpu_ms: number | null }[]>`
    SELECT j.type AS kind, j.mode::text AS mode, u."wallMs"::float8 AS wall_ms, u."gpuMs"::float8 AS gpu_ms
      FROM gpu_usage u JOIN job j ON j.id = u."jobId"
     WHERE u."createdAt" > ${from} AND u."createdAt" <= ${to}`;
  for (const row of attempts) {
    metrics.jobDuration.observe({ kind: row.kind, mode: row.mode }, row.wall_ms / 1000);
    if (row.gpu_ms !== null) metrics.jobGpu.observe({ kind: row.kind, mode: row.mode }, row.gpu_ms / 1000);
  }
}

async function setWorkerGauges(db: Db, metrics: StudioMetrics, now: Date): Promise<void> {
  const workers = await db.workerHeartbeat.findMany({
    where: { lastSeenAt: { gt: new Date(now.getTime() - 3_600_000) } },
    select: { id: true, host: true, provider: true, lastSeenAt: true, stoppedAt: true },
  });
  const busy = await db.$queryRaw<{ worker: string; wall_ms: number }[]>`
    SELECT "workerId" AS worker, sum("wallMs")::float8 AS wall_ms FROM gpu_usage
     WHERE "createdAt" > ${new Date(now.getTime() - BUSY_WINDOW_MS)} GROUP BY 1`;
  const busyMs = new Map(busy.map((row) => [row.worker, row.wall_ms]));
  metrics.workerUp.reset();
  metrics.workerHeartbeat.reset();
  metrics.workerBusy.reset();
  for (const worker of workers) {
    const isUp = worker.stoppedAt === null && now.getTime() - worker.lastSeenAt.getTime() <= HEARTBEAT_FRESH_MS;
    metrics.workerUp.set({ worker: worker.id, host: worker.host, provider: worker.provider }, isUp ? 1 : 0);
    metrics.workerHeartbeat.set({ worker: worker.id }, worker.lastSeenAt.getTime() / 1000);
    metrics.workerBusy.set({ worker: worker.id }, Math.min(1, (busyMs.get(worker.id) ?? 0) / BUSY_WINDOW_MS));
  }
}

async function setFastTimeGauges(db: Db, metrics: StudioMetrics, now: Date): Promise<void> {
  const [row] = await db.$queryRaw<{ remaining_ms: number | null; out: bigint; accounts: bigint }[]>`
    SELECT sum(GREATEST(0, "allowanceMs" + "grantedMs" - "heldMs" - "usedMs"))::float8 AS remaining_ms,
           count(*) FILTER (WHERE "allowanceMs" + "grantedMs" - "heldMs" - "usedMs" <= 0) AS out,
           count(*) AS accounts
      FROM usage_account WHERE "periodEnd" > ${now}`;
  metrics.fastRemaining.set((row?.remaining_ms ?? 0) / 1000);
  metrics.usersOutOfFast.set(Number(row?.out ?? 0));
  metrics.usersWithAccount.set(Number(row?.accounts ?? 0));
}

async function collect(db: Db, metrics: StudioMetrics): Promise<string> {
  const now = new Date();
  const settled = new Date(now.getTime() - SETTLE_MS);
  if (metrics.watermark && settled > metrics.watermark) await observeSince(db, metrics, metrics.watermark, settled);
  if (!metrics.watermark || settled > metrics.watermark) metrics.watermark = settled;
  await Promise.all([setQueueGauges(db, metrics), setWorkerGauges(db, metrics, now), setFastTimeGauges(db, metrics, now)]);
  return metrics.registry.metrics();
}

/** The studio's figures in Prometheus text format. */
export function studioMetricsText(db: Db): Promise<string> {
  const metrics = (store[KEY] ??= createStudioMetrics());
  const result = metrics.running.then(() => collect(db, metrics));
  metrics.running = result.catch(() => undefined);
  return result;
}
