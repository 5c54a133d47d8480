"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const MODE_COLOURS = { turbo: "#f472b6", fast: "#8b7cf6", relax: "#34d399" } as const;

/** GPU hours per day for the last 30 days, stacked by mode. */
export function UsageChart({ daily }: { daily: Array<{ key: string; mode: string | null; gpuMs: number }> }) {
  const byDay = new Map<string, Record<string, number | string>>();
  for (const row of daily) {
    const day = byDay.get(row.key) ?? { day: row.key, turbo: 0, fast: 0, relax: 0 };
    if (row.mode) day[row.mode] = Number(day[row.mode] ?? 0) + row.gpuMs / 3_600_000;
    byDay.set(row.key, day);
  }
  const data = [...byDay.values()];
  if (data.length === 0) return <p className="text-sm text-ink-300">No finished jobs in the last 30 days.</p>;
  return (
    <div className="h-64 w-full" data-testid="usage-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#26262d" vertical={false} />
          <XAxis dataKey="day" stroke="#6b6b76" fontSize={11} />
          <YAxis stroke="#6b6b76" fontSize={11} tickFormatter={(value: number) => (value < 0.01 ? `${(value * 3600).toFixed(1)} s` : `${value.toFixed(2)} h`)} />
          <Tooltip contentStyle={{ background: "#111114", border: "1px solid #26262d" }} formatter={(value) => `${Number(value).toFixed(4)} h`} />
          <Legend />
          {(Object.keys(MODE_COLOURS) as Array<keyof typeof MODE_COLOURS>).map((mode) => (
            <Bar key={mode} dataKey={mode} stackId="gpu" fill={MODE_COLOURS[mode]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
