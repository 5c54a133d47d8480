import { MODE_COLOURS, UsageBars, UsageLegend, type TChartMode, type TUsageDay } from "./usage-bars";

/** One unit for the whole chart, picked from its tallest day, so axis ticks and tooltips never mix seconds and hours. */
const UNITS = [
  { name: "hours", short: "h", ms: 3_600_000 },
  { name: "minutes", short: "min", ms: 60_000 },
  { name: "seconds", short: "s", ms: 1_000 },
] as const;

/** The chart's span, as the dashboard reads it (lib/server/accounting/dashboard.ts). */
const CHART_DAYS = 30;

export function chartUnit(tallestDayMs: number): (typeof UNITS)[number] {
  return UNITS.find((unit) => tallestDayMs >= unit.ms) ?? UNITS[UNITS.length - 1]!;
}

/**
 * GPU time per day for the last 30 days, stacked by mode, in one unit,
 * rendered with the page (no JavaScript in the browser).
 */
export function UsageChart({ daily }: { daily: Array<{ key: string; mode: string | null; gpuMs: number }> }) {
  const byDay = new Map<string, TUsageDay>();
  for (const row of daily) {
    const day = byDay.get(row.key) ?? { day: row.key, turbo: 0, fast: 0, relax: 0 };
    if (row.mode && row.mode in MODE_COLOURS) day[row.mode as TChartMode] += row.gpuMs;
    byDay.set(row.key, day);
  }
  if (byDay.size === 0) return <p className="text-sm text-ink-300">No finished jobs in the last 30 days.</p>;
  // One slot per calendar day, ending with the latest day that has usage: a bar's place is its date.
  const latest = Date.parse(`${[...byDay.keys()].sort().at(-1)!}T00:00:00Z`);
  const days = Array.from({ length: CHART_DAYS }, (_, index) => {
    const key = new Date(latest - (CHART_DAYS - 1 - index) * 86_400_000).toISOString().slice(0, 10);
    return byDay.get(key) ?? { day: key, turbo: 0, fast: 0, relax: 0 };
  });
  const unit = chartUnit(Math.max(...days.map((day) => day.turbo + day.fast + day.relax)));
  const data = days.map((day) => ({ day: day.day, turbo: day.turbo / unit.ms, fast: day.fast / unit.ms, relax: day.relax / unit.ms }));
  return (
    <figure className="flex flex-col gap-1" data-testid="usage-chart" data-unit={unit.short}>
      <figcaption className="text-xs text-ink-300">GPU time per day, in {unit.name}</figcaption>
      {/* Drawn twice, for a phone's width and a wider screen, so the labels keep a readable size on both; CSS shows one. */}
      <div className="max-w-3xl sm:hidden">
        <UsageBars data={data} unitShort={unit.short} width={360} maxDayLabels={4} />
      </div>
      <div className="hidden max-w-3xl sm:block">
        <UsageBars data={data} unitShort={unit.short} width={720} maxDayLabels={8} />
      </div>
      <UsageLegend />
    </figure>
  );
}
