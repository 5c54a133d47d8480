import type { Db } from "@/lib/db/client";

/** A worker counts as online while its heartbeat is younger than this. */
export const WORKER_ONLINE_WINDOW_MS = 30_000;

export interface WorkerHeartbeatInput {
  id: string;
  host: string;
  pid: number;
  provider: string;
  device: number | null;
  models: string[];
  startedAt: Date;
}

export async function recordWorkerHeartbeat(db: Db, worker: WorkerHeartbeatInput): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { id: worker.id },
    create: { ...worker, lastSeenAt: now },
    update: { ...worker, lastSeenAt: now, stoppedAt: null },
  });
}

export async function markWorkerStopped(db: Db, workerId: string): Promise<void> {
  await db.workerHeartbeat.updateMany({ where: { id: workerId }, data: { stoppedAt: new Date() } });
}

export async function listOnlineWorkers(db: Db, now = new Date()) {
  const rows = await db.workerHeartbeat.findMany({
    where: { stoppedAt: null, lastSeenAt: { gte: new Date(now.getTime() - WORKER_ONLINE_WINDOW_MS) } },
    orderBy: { startedAt: "asc" },
    select: { id: true, host: true, provider: true, device: true, models: true, startedAt: true, lastSeenAt: true },
  });
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    provider: row.provider,
    /** GPU index of a CUDA worker (`--device N`); null on the CPU. */
    device: row.device,
    models: Array.isArray(row.models) ? row.models.filter((m): m is string => typeof m === "string") : [],
    startedAt: row.startedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
  }));
}
