import { AppError } from "@/lib/errors";
import "server-only";
import type { Db } from "@/lib/db/client";
import type { TAdminUsage, TUsage } from "@/lib/schemas/usage";
import { availableMs, lockUsageAccount } from "./account";
import { csvField } from "@/lib/server/csv";

/** The user's current period: fast time allowed, used, held and left, Relax time, recent charges. */
export async function getUsage(db: Db, userId: string): Promise<TUsage> {
  const account = await db.$transaction((tx) => lockUsageAccount(tx, userId));
  const [user, jobs] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { autoRelax: true, plan: { select: { name: true, relaxAllowed: true } } } }),
    // The hold's ledger row says which balance paid (docs/teams.md: teamId set = the team pool), joined in the same query.
    db.$queryRaw<Array<{ id: string; type: string; mode: string; status: string; prompt: string; gpuMs: number; multiplier: number; chargedMs: number | null; createdAt: Date; holdTeamId: string | null; held: boolean }>>`
      SELECT j.id, j.type, j.mode::text AS mode, j.status::text AS status, j.prompt, j."gpuMs", j.multiplier, j."chargedMs", j."createdAt",
             h."teamId" AS "holdTeamId", h.id IS NOT NULL AS held
        FROM "job" j LEFT JOIN "ledger_entry" h ON h."jobId" = j.id AND h.kind = 'hold'
       WHERE j."userId" = ${userId}
       ORDER BY j."createdAt" DESC LIMIT 20`,
  ]);
  return {
    plan: user?.plan?.name ?? null,
    period: { start: account.periodStart.toISOString(), end: account.periodEnd.toISOString() },
    fast: {
      allowanceMs: Number(account.allowanceMs),
      grantedMs: Number(account.grantedMs),
      usedMs: Number(account.usedMs),
      heldMs: Number(account.heldMs),
      remainingMs: Number(availableMs(account)),
    },
    relaxMs: Number(account.relaxMs),
    relaxAllowed: user?.plan?.relaxAllowed ?? false,
    autoRelax: user?.autoRelax ?? false,
    recentJobs: jobs.map(({ holdTeamId, held, ...job }) => ({ ...job, createdAt: job.createdAt.toISOString(), fundedBy: held ? (holdTeamId === null ? "own" : "team") : null })),
  };
}

const GROUP_EXPRESSIONS = {
  user: `u.email`,
  day: `to_char(date_trunc('day', j."finishedAt"), 'YYYY-MM-DD')`,
  mode: `j.mode::text`,
  type: `j.type::text`,
} as const;

/**
 * GPU time and charges of finished jobs between two dates, grouped by user,
 * day, mode or job type (each group split by mode, for stacked charts).
 */
export async function getAdminUsage(db: Db, query: { from: Date; to: Date; groupBy: keyof typeof GROUP_EXPRESSIONS }): Promise<TAdminUsage> {
  // The group expression comes from the fixed table above, never from input.
  const groupExpression = GROUP_EXPRESSIONS[query.groupBy];
  const rows = await db.$queryRawUnsafe<Array<{ key: string; mode: string | null; jobs: bigint; gpu_ms: bigint | null; charged_ms: bigint | null }>>(
    `SELECT ${groupExpression} AS key, j.mode::text AS mode, count(*) AS jobs,
            sum(j."gpuMs")::bigint AS gpu_ms, sum(COALESCE(j."chargedMs", 0))::bigint AS charged_ms
       FROM "job" j JOIN "user" u ON u.id = j."userId"
      WHERE j.status = 'completed' AND j."finishedAt" >= $1 AND j."finishedAt" < $2
      GROUP BY 1, 2 ORDER BY 1, 2`,
    query.from,
    query.to,
  );
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy: query.groupBy,
    rows: rows.map((row) => ({ key: row.key, mode: row.mode, jobs: Number(row.jobs), gpuMs: Number(row.gpu_ms ?? 0), chargedMs: Number(row.charged_ms ?? 0) })),
  };
}

export function adminUsageCsv(usage: TAdminUsage): string {
  const lines = [[usage.groupBy, "mode", "jobs", "gpu_hours", "charged_hours"].join(",")];
  for (const row of usage.rows) {
    lines.push([csvField(row.key), row.mode ?? "", row.jobs, (row.gpuMs / 3_600_000).toFixed(6), (row.chargedMs / 3_600_000).toFixed(6)].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Turns automatic Relax fallback on or off. Only a plan with Relax can turn it
 * on (it would otherwise promise a fallback that every job then refuses).
 */
export async function setAutoRelax(db: Db, userId: string, autoRelax: boolean): Promise<void> {
  if (autoRelax) {
    const user = await db.user.findUnique({ where: { id: userId }, select: { plan: { select: { name: true, relaxAllowed: true } } } });
    if (!user?.plan?.relaxAllowed) {
      throw new AppError("FORBIDDEN", `Relax mode is not part of the ${user?.plan?.name ?? "current"} plan, so there is nothing to fall back to. Ask an admin for a plan with Relax.`);
    }
  }
  await db.user.update({ where: { id: userId }, data: { autoRelax } });
}
