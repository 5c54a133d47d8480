import "server-only";
import type { Redis } from "ioredis";
import type { Db } from "@/lib/db/client";
import { whenRedisReady } from "@/lib/redis";
import type { THealth } from "@/lib/schemas/health";
import { listOnlineWorkers } from "./workers";

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; latencyMs: number | null; error?: string }> {
  const started = performance.now();
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2_000)),
    ]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, latencyMs: null, error: error instanceof Error ? error.message : String(error) };
  }
}

export async function getHealth(db: Db, redis: Redis): Promise<THealth> {
  const [postgres, redisStatus] = await Promise.all([
    probe(() => db.$queryRaw`SELECT 1`),
    probe(async () => (await whenRedisReady(redis)).ping()),
  ]);
  const workers = postgres.ok ? await listOnlineWorkers(db).catch(() => []) : [];
  const status = !postgres.ok || !redisStatus.ok ? "down" : workers.length === 0 ? "degraded" : "ok";
  return { status, postgres, redis: redisStatus, workers: { online: workers.length, list: workers } };
}
