import { formatGpuTime } from "@/components/format";
import type { TTeamPool } from "@/lib/schemas/teams";

/** A team pool's figures for the current period (admin team page and Account); no pool without a plan. */
export function PoolFigures({ pool, label }: { pool: TTeamPool | null; label: string }) {
  if (pool === null) {
    return <p className="text-sm text-ink-300">No plan, so no shared pool: members use their own fast time.</p>;
  }
  const total = pool.allowanceMs + pool.grantedMs;
  const usedShare = total > 0 ? Math.min(100, ((pool.usedMs + pool.heldMs) / total) * 100) : 100;
  return (
    <div className="flex max-w-2xl flex-col gap-2">
      <div role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(usedShare)} className="h-2 overflow-hidden rounded-full bg-ink-800">
        <div className="h-full bg-accent" style={{ width: `${usedShare}%` }} />
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-5">
        <div><dt className="text-ink-300">Left</dt><dd data-testid="pool-left">{formatGpuTime(pool.remainingMs)}</dd></div>
        <div><dt className="text-ink-300">Plan</dt><dd>{formatGpuTime(pool.allowanceMs)}</dd></div>
        <div><dt className="text-ink-300">Granted</dt><dd data-testid="pool-granted">{formatGpuTime(pool.grantedMs)}</dd></div>
        <div><dt className="text-ink-300">Used</dt><dd>{formatGpuTime(pool.usedMs)}</dd></div>
        <div><dt className="text-ink-300">Held by running jobs</dt><dd>{formatGpuTime(pool.heldMs)}</dd></div>
      </dl>
      <p className="text-xs text-ink-300">
        Period {new Date(pool.periodStart).toLocaleDateString()} – {new Date(new Date(pool.periodEnd).getTime() - 1).toLocaleDateString()}. Unused time does not carry over.
      </p>
    </div>
  );
}
