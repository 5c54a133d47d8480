"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const MODE_COLOURS = { turbo: "#f472b6", fast: "#8b7cf6", relax: "#34d399" } as const;
type TMode = keyof typeof MODE_COLOURS;

/** One unit for the whole chart, picked from its tallest day, so axis ticks and tooltips never mix seconds and hours. */
const UNITS = [
  { name: "hours", short: "h", ms: 3_600_000 },
  { name: "minutes", short: "min", ms: 60_000 },
  { name: "seconds", short: "s", ms: 1_000 },
] as const;

export function chartUnit(tallestDayMs: number): (typeof UNITS)[number] {
  return UNITS.find((unit) => tallestDayMs >= unit.ms) ?? UNITS[UNITS.length - 1]!;
}

/** GPU time per day for the last 30 days, stacked by mode, in one unit. */
export function UsageChart({ daily }: { daily: Array<{ key: string; mode: string | null; gpuMs: number }> }) {
  const byDay = new Map<string, { day: string } & Record<TMode, number>>();
  for (const row of daily) {
    const day = byDay.get(row.key) ?? { day: row.key, turbo: 0, fast: 0, relax: 0 };
    if (row.mode && row.mode in MODE_COLOURS) day[row.mode as TMode] += row.gpuMs;
    byDay.set(row.key, day);
  }
  const days = [...byDay.values()];
  if (days.length === 0) return <p className="text-sm text-ink-300">No finished jobs in the last 30 days.</p>;
  const unit = chartUnit(Math.max(...days.map((day) => day.turbo + day.fast + day.relax)));
  const data = days.map((day) => ({ day: day.day, turbo: day.turbo / unit.ms, fast: day.fast / unit.ms, relax: day.relax / unit.ms }));
  const format = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ${unit.short}`;
  return (
    <figure className="flex flex-col gap-1" data-testid="usage-chart" data-unit={unit.short}>
      <figcaption className="text-xs text-ink-300">GPU time per day, in {unit.name}</figcaption>
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#26262d" vertical={false} />
            <XAxis dataKey="day" stroke="#6b6b76" fontSize={11} />
            <YAxis stroke="#6b6b76" fontSize={11} tickFormatter={format} />
            <Tooltip contentStyle={{ background: "#111114", border: "1px solid #26262d" }} formatter={(value) => format(Number(value))} />
            <Legend />
            {(Object.keys(MODE_COLOURS) as TMode[]).map((mode) => (
              <Bar key={mode} dataKey={mode} stackId="gpu" fill={MODE_COLOURS[mode]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
