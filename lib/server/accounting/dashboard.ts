import "server-only";
import type { Db } from "@/lib/db/client";
import { listOnlineWorkers } from "@/lib/server/workers";
import { availableMs } from "./account";
import { getAdminUsage } from "./usage";

const DAY_MS = 86_400_000;

/** Everything the admin dashboard shows, read in one go. */
export async function getAdminDashboard(db: Db, now = new Date()) {
  const since30 = new Date(now.getTime() - 30 * DAY_MS);
  const [daily, users, queue, waits, workers, workerStats, averages] = await Promise.all([
    getAdminUsage(db, { from: since30, to: now, groupBy: "day" }),
    db.$queryRaw<Array<{ id: string; email: string; plan: string | null; disabled: boolean; jobs: bigint; charged_ms: bigint | null }>>`
      SELECT u.id, u.email, p.name AS plan, u."disabledAt" IS NOT NULL AS disabled,
             count(j.id) AS jobs, sum(COALESCE(j."chargedMs", 0))::bigint AS charged_ms
        FROM "user" u LEFT JOIN "plan" p ON p.id = u."planId"
        LEFT JOIN "job" j ON j."userId" = u.id AND j."createdAt" >= ${since30}
       GROUP BY u.id, u.email, p.name ORDER BY charged_ms DESC NULLS LAST, u.email`,
    db.$queryRaw<Array<{ mode: string; status: string; n: bigint }>>`
      SELECT mode::text, status::text, count(*) AS n FROM "job" WHERE status IN ('queued', 'running') GROUP BY 1, 2`,
    db.$queryRaw<Array<{ mode: string; p50: number | null; p95: number | null }>>`
      SELECT mode::text,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM ("startedAt" - "createdAt")) * 1000) AS p95
        FROM "job" WHERE "startedAt" IS NOT NULL AND "createdAt" >= ${new Date(now.getTime() - DAY_MS)} GROUP BY 1`,
    listOnlineWorkers(db, now),
    db.$queryRaw<Array<{ worker_id: string; jobs: bigint; busy_ms: bigint | null }>>`
      SELECT "workerId" AS worker_id, count(*) AS jobs,
             sum(CASE WHEN "createdAt" >= ${new Date(now.getTime() - 3_600_000)} THEN "wallMs" ELSE 0 END)::bigint AS busy_ms
        FROM "gpu_usage" GROUP BY 1`,
    db.$queryRaw<Array<{ user_id: string; type: string; avg_ms: number }>>`
      SELECT "userId" AS user_id, type::text AS type, avg("chargedMs")::float8 AS avg_ms
        FROM "job" WHERE status = 'completed' AND "chargedMs" IS NOT NULL AND "createdAt" >= ${since30}
       GROUP BY 1, 2`,
  ]);
  const accounts = await db.usageAccount.findMany({ select: { userId: true, allowanceMs: true, grantedMs: true, heldMs: true, usedMs: true } });
  const remaining = new Map(accounts.map((account) => [account.userId, Number(availableMs(account))]));
  const byWorker = new Map(workerStats.map((row) => [row.worker_id, row]));

  const totals = (days: number) => {
    const from = new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);
    const result: Record<string, number> = { turbo: 0, fast: 0, relax: 0 };
    for (const row of daily.rows) if (row.key >= from && row.mode) result[row.mode] = (result[row.mode] ?? 0) + row.gpuMs;
    return result;
  };
  return {
    totals: { today: totals(1), week: totals(7), month: totals(30) },
    daily: daily.rows,
    users: users.map((user) => ({
      id: user.id,
      email: user.email,
      plan: user.plan,
      disabled: user.disabled,
      jobs: Number(user.jobs),
      chargedMs: Number(user.charged_ms ?? 0),
      remainingMs: remaining.get(user.id) ?? null,
      averageChargeByType: Object.fromEntries(averages.filter((row) => row.user_id === user.id).map((row) => [row.type, Math.round(row.avg_ms)])),
    })),
    queue: ["turbo", "fast", "relax"].map((mode) => ({
      mode,
      queued: Number(queue.find((row) => row.mode === mode && row.status === "queued")?.n ?? 0),
      running: Number(queue.find((row) => row.mode === mode && row.status === "running")?.n ?? 0),
      waitP50Ms: waits.find((row) => row.mode === mode)?.p50 ?? null,
      waitP95Ms: waits.find((row) => row.mode === mode)?.p95 ?? null,
    })),
    workers: workers.map((worker) => ({
      ...worker,
      jobsDone: Number(byWorker.get(worker.id)?.jobs ?? 0),
      busyPercent: Math.min(100, Math.round((Number(byWorker.get(worker.id)?.busy_ms ?? 0) / 3_600_000) * 1000) / 10),
    })),
  };
}

export type TAdminDashboard = Awaited<ReturnType<typeof getAdminDashboard>>;
