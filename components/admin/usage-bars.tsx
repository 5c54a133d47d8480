"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { MODE_COLOURS, type TChartMode, type TUsageDay } from "./usage-chart-data";

/**
 * The chart itself: recharts, the largest library of the admin page (≈ 400 KB
 * of JavaScript before compression), so it is loaded after the page, not with
 * it (./lazy-usage-bars.tsx; docs/ui.md, "What the browser loads").
 */
export default function UsageBars({ data, unitShort }: { data: TUsageDay[]; unitShort: string }) {
  const format = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ${unitShort}`;
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#26262d" vertical={false} />
        <XAxis dataKey="day" stroke="#6b6b76" fontSize={11} />
        <YAxis stroke="#6b6b76" fontSize={11} tickFormatter={format} />
        <Tooltip contentStyle={{ background: "#111114", border: "1px solid #26262d" }} formatter={(value) => format(Number(value))} />
        <Legend />
        {(Object.keys(MODE_COLOURS) as TChartMode[]).map((mode) => (
          <Bar key={mode} dataKey={mode} stackId="gpu" fill={MODE_COLOURS[mode]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
