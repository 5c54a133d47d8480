import { existsSync } from "node:fs";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { createRedis } from "@/lib/redis";
import { getAdminDashboard } from "@/lib/server/accounting/dashboard";
import { createImagineJobs } from "@/lib/server/jobs/create-imagine-jobs";
import { WORKER_ONLINE_WINDOW_MS } from "@/lib/server/workers";
import { imagePath } from "@/lib/storage";
import { seedUser } from "../support/db";
import { expectLedgerInvariants } from "../support/invariants";
import { createTestJobContext, FIXTURE_MODEL, startWorker, stopWorker, waitFor } from "../support/worker-process";

/**
 * Two worker processes on this machine stand in for two GPU hosts: each has
 * its own storage configuration (one names the shared folder, the other a
 * symlink to it, as a second host would name its mount of a shared volume)
 * and both consume the one queue of the fixture model. One is SIGKILLed in
 * the middle of a job; the other must finish everything, and the heartbeats
 * the admin dashboard reads show both, then the dead one going stale.
 */
const db = createDb(inject("databaseUrl"), { max: 4 });
const redis = createRedis(inject("redisUrl"), "request");
const prefix = `${inject("redisPrefix")}-two`;
const context = createTestJobContext(db, redis, prefix);
const JOBS = 8;
// Short locks so the dead worker's job is taken over in seconds; fast heartbeats.
const ENV = { LOCK_DURATION_MS: "2000", STALLED_INTERVAL_MS: "500", HEARTBEAT_INTERVAL_MS: "500", WORKER_MODELS: FIXTURE_MODEL };
// The fixture model finishes a job in tens of milliseconds; each job holds a
// second before inference (a slow GPU) so worker A can be caught mid-job.
const FAULTS = { delayGenerateMs: 1000 };

afterAll(async () => {
  await context.queue.close();
  redis.disconnect();
  await db.$disconnect();
});

async function dashboardWorkers(now?: Date) {
  return (await getAdminDashboard(db, now)).workers.filter((worker) => worker.id.startsWith("two-"));
}

describe("two workers sharing one queue", () => {
  it("both take jobs; SIGKILL one mid-job and the other finishes everything; the dashboard shows both, then one stale", { timeout: 180_000 }, async () => {
    const shared = await mkdtemp(path.join(tmpdir(), "mirage-shared-"));
    const otherHost = await mkdtemp(path.join(tmpdir(), "mirage-host-b-"));
    const mount = path.join(otherHost, "mnt-images");
    await symlink(shared, mount);
    const a = startWorker({ prefix, storageDir: shared, workerId: "two-a", env: ENV, faults: FAULTS });
    // B stands for a GPU host's second card: CUDA on device 1. Without the CUDA
    // provider libraries (this machine, CI) it falls back to the CPU and says so.
    const b = startWorker({ prefix, storageDir: mount, workerId: "two-b", env: { ...ENV, EXECUTION_PROVIDER: "cuda", DEVICE: "1" }, faults: FAULTS });
    try {
      // Both online with the model loaded, before any work is submitted.
      const online = await waitFor(async () => {
        const workers = await dashboardWorkers();
        return workers.length === 2 && workers.every((worker) => worker.models.includes(FIXTURE_MODEL)) ? workers : undefined;
      }, 90_000, "both workers to report their model loaded");
      expect(online.map((worker) => worker.id).sort()).toEqual(["two-a", "two-b"]);
      const hasCudaProvider = existsSync(path.resolve("node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so"));
      expect(online.find((worker) => worker.id === "two-a")).toMatchObject({ provider: "cpu", device: null });
      expect(online.find((worker) => worker.id === "two-b")).toMatchObject({ provider: hasCudaProvider ? "cuda" : "cuda (fell back to cpu)", device: 1 });

      const jobIds: string[] = [];
      for (let user = 0; user < JOBS / 2; user += 1) {
        const seeded = await seedUser(db);
        const principal = { userId: seeded.id, email: seeded.email, role: "user" as const, via: "token" as const };
        for (let job = 0; job < 2; job += 1) {
          jobIds.push((await createImagineJobs(context, principal, { prompt: `a blue circle --seed ${user * 10 + job}` })).id);
        }
      }

      // Wait until both have taken work, then catch A in the middle of a job and kill it.
      let victimJob = "";
      for (let attempt = 0; attempt < 20 && !victimJob; attempt += 1) {
        const running = await waitFor(async () => {
          const rows = await db.job.findMany({ where: { id: { in: jobIds }, workerId: { not: null } }, select: { id: true, status: true, workerId: true } });
          const byB = rows.some((row) => row.workerId === "two-b");
          return byB ? rows.find((row) => row.workerId === "two-a" && row.status === "running") : undefined;
        }, 60_000, "both workers to take jobs, with A running one");
        a.kill("SIGSTOP");
        const status = (await db.job.findUniqueOrThrow({ where: { id: running.id }, select: { status: true, workerId: true } }));
        if (status.status === "running" && status.workerId === "two-a") {
          victimJob = running.id;
          await stopWorker(a, "SIGKILL");
        } else {
          a.kill("SIGCONT");
        }
      }
      expect(victimJob, "could not catch worker A in the middle of a job").not.toBe("");
      const killedAt = Date.now();

      const finished = await waitFor(async () => {
        const rows = await db.job.findMany({ where: { id: { in: jobIds } }, select: { id: true, status: true, workerId: true, error: true } });
        return rows.every((row) => row.status === "completed" || row.status === "failed") ? rows : undefined;
      }, 120_000, "every job to finish on the surviving worker");
      expect(finished.filter((row) => row.status !== "completed"), "jobs that did not complete").toEqual([]);
      // The job A died in was taken over and completed by B.
      expect(finished.find((row) => row.id === victimJob)?.workerId).toBe("two-b");
      const attemptsAfterKill = await db.gpuUsage.findMany({ where: { jobId: { in: jobIds }, createdAt: { gt: new Date(killedAt) } }, select: { workerId: true } });
      expect(new Set(attemptsAfterKill.map((row) => row.workerId))).toEqual(new Set(["two-b"]));

      // One set of four images per job, each file readable under both hosts' paths.
      const images = await db.image.findMany({ where: { jobId: { in: jobIds } }, select: { jobId: true, storageKey: true } });
      expect(images).toHaveLength(JOBS * 4);
      for (const image of images) {
        for (const root of [shared, mount]) {
          expect(existsSync(imagePath(root, image.storageKey, "full")), `${image.storageKey} under ${root}`).toBe(true);
          expect(existsSync(imagePath(root, image.storageKey, "thumb")), `${image.storageKey} thumbnail under ${root}`).toBe(true);
        }
      }
      await expectLedgerInvariants(db);

      // The dashboard still lists A until its heartbeat is older than the
      // online window; B keeps beating. Seen from the moment A's last beat
      // leaves the window (no need to sleep 30 s), only B is online.
      const rows = await db.workerHeartbeat.findMany({ where: { id: { in: ["two-a", "two-b"] } } });
      const lastA = rows.find((row) => row.id === "two-a")!;
      expect(lastA.stoppedAt, "a SIGKILLed worker cannot say it stopped").toBeNull();
      await waitFor(async () => {
        const beatB = await db.workerHeartbeat.findUniqueOrThrow({ where: { id: "two-b" }, select: { lastSeenAt: true } });
        return beatB.lastSeenAt.getTime() > lastA.lastSeenAt.getTime() + 1_500;
      }, 10_000, "B to keep beating after A died");
      expect((await dashboardWorkers()).map((worker) => worker.id).sort()).toEqual(["two-a", "two-b"]);
      const later = new Date(lastA.lastSeenAt.getTime() + WORKER_ONLINE_WINDOW_MS + 1_000);
      const afterWindow = await dashboardWorkers(later);
      expect(afterWindow.map((worker) => worker.id)).toEqual(["two-b"]);
      expect(afterWindow[0]!.jobsDone).toBeGreaterThanOrEqual(1);
    } finally {
      await stopWorker(a, "SIGKILL");
      await stopWorker(b);
      await rm(otherHost, { recursive: true, force: true });
      await rm(shared, { recursive: true, force: true });
    }
  });

  it("routes each job to a worker that has its model, and a worker with two models runs one job at a time", { timeout: 180_000 }, async () => {
    const storageDir = await mkdtemp(path.join(tmpdir(), "mirage-route-"));
    const OTHER = "tiny-sd-legacy";
    const onlyFixture = startWorker({ prefix, storageDir, workerId: "route-one-model", env: { ...ENV, WORKER_MODELS: FIXTURE_MODEL } });
    let both: ReturnType<typeof startWorker> | undefined;
    try {
      const seeded = await seedUser(db);
      const principal = { userId: seeded.id, email: seeded.email, role: "user" as const, via: "token" as const };
      await waitFor(async () => (await getAdminDashboard(db)).workers.find((worker) => worker.id === "route-one-model" && worker.models.length > 0), 90_000, "the first worker to load its model");
      const waiting = (await createImagineJobs(context, principal, { prompt: "a green square --seed 1", model: OTHER })).id;
      const served = (await createImagineJobs(context, principal, { prompt: "a green square --seed 2" })).id;
      await waitFor(async () => (await db.job.findUniqueOrThrow({ where: { id: served } })).status === "completed", 60_000, "the served model's job");
      // No worker has the other model loaded: its job waits rather than failing on the wrong worker.
      expect((await db.job.findUniqueOrThrow({ where: { id: waiting }, select: { status: true, workerId: true } }))).toEqual({ status: "queued", workerId: null });

      both = startWorker({ prefix, storageDir, workerId: "route-two-models", env: { ...ENV, WORKER_MODELS: `${OTHER},${FIXTURE_MODEL}` } });
      await stopWorker(onlyFixture);
      await waitFor(async () => (await db.job.findUniqueOrThrow({ where: { id: waiting } })).status === "completed", 90_000, "the waiting job once a worker has its model");
      expect((await db.job.findUniqueOrThrow({ where: { id: waiting }, select: { workerId: true } })).workerId).toBe("route-two-models");

      // Interleaved jobs of both models on the one two-model worker: all complete, never two at once.
      const seeded2 = await seedUser(db);
      const principal2 = { userId: seeded2.id, email: seeded2.email, role: "user" as const, via: "token" as const };
      const mixed: string[] = [];
      for (let index = 0; index < 2; index += 1) {
        mixed.push((await createImagineJobs(context, principal, { prompt: `a red dot --seed ${index}`, model: OTHER })).id);
        mixed.push((await createImagineJobs(context, principal2, { prompt: `a red dot --seed ${index}` })).id);
      }
      const rows = await waitFor(async () => {
        const found = await db.job.findMany({ where: { id: { in: mixed } }, select: { status: true, modelId: true, workerId: true, startedAt: true, finishedAt: true } });
        return found.every((row) => row.status === "completed") ? found : undefined;
      }, 120_000, "the mixed jobs");
      expect(new Set(rows.map((row) => row.modelId))).toEqual(new Set([OTHER, FIXTURE_MODEL]));
      expect(new Set(rows.map((row) => row.workerId))).toEqual(new Set(["route-two-models"]));
      const spans = rows.map((row) => [row.startedAt!.getTime(), row.finishedAt!.getTime()] as const).sort((x, y) => x[0] - y[0]);
      for (let index = 1; index < spans.length; index += 1) {
        expect(spans[index]![0], "a job started before the previous one finished").toBeGreaterThanOrEqual(spans[index - 1]![1]);
      }
    } finally {
      await stopWorker(onlyFixture);
      if (both) await stopWorker(both);
      await rm(storageDir, { recursive: true, force: true });
    }
  });
});
