export const MODE_COLOURS = { turbo: "#f472b6", fast: "#8b7cf6", relax: "#34d399" } as const;
export type TChartMode = keyof typeof MODE_COLOURS;
/** One day's GPU time per mode, in the chart's unit. */
export type TUsageDay = { day: string } & Record<TChartMode, number>;


const MODES = Object.keys(MODE_COLOURS) as TChartMode[];
const HEIGHT = 240;
const MARGIN = { top: 8, right: 8, bottom: 22, left: 64 };

/** A round step (1, 2, 2.5 or 5 × a power of ten) that splits 0…max into about four intervals. */
export function tickStep(max: number): number {
  if (!(max > 0)) return 1;
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= rough)! * power;
  return step;
}

/**
 * GPU time per day as stacked bars, drawn as plain SVG on the server: no
 * chart library reaches the browser (recharts was ≈ 400 KB of JavaScript
 * and most of the admin page's main-thread work on a phone; docs/ui.md,
 * "What the browser loads"). Each bar segment has a title, which browsers
 * show on hover, and the figure's caption names the unit.
 */
export function UsageBars({ data, unitShort, width, maxDayLabels }: { data: TUsageDay[]; unitShort: string; width: number; maxDayLabels: number }) {
  const format = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ${unitShort}`;
  const tallest = Math.max(...data.map((day) => MODES.reduce((sum, mode) => sum + day[mode], 0)));
  const step = tickStep(tallest);
  const top = Math.max(step, Math.ceil(tallest / step) * step);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const band = plotWidth / Math.max(1, data.length);
  const barWidth = Math.max(2, band * 0.7);
  const y = (value: number) => MARGIN.top + plotHeight * (1 - value / top);
  // Labels on the latest day and every few before it, so today's bar is always named.
  const labelEvery = Math.max(1, Math.ceil(data.length / maxDayLabels));
  const isLabelled = (index: number) => (data.length - 1 - index) % labelEvery === 0;
  return (
    <svg viewBox={`0 0 ${width} ${HEIGHT}`} className="h-auto w-full text-ink-300" role="img" aria-label={`GPU time per day, stacked by mode, up to ${format(tallest)}`}>
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} stroke="#26262d" />
          <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={11} fill="currentColor">
            {format(tick)}
          </text>
        </g>
      ))}
      {data.map((day, index) => {
        const x = MARGIN.left + band * index + (band - barWidth) / 2;
        let base = 0;
        return (
          <g key={day.day}>
            {MODES.filter((mode) => day[mode] > 0).map((mode) => {
              const from = base;
              base += day[mode];
              return (
                <rect key={mode} x={x} width={barWidth} y={y(base)} height={Math.max(0.5, y(from) - y(base))} fill={MODE_COLOURS[mode]}>
                  <title>{`${day.day} · ${mode} ${format(day[mode])}`}</title>
                </rect>
              );
            })}
            {isLabelled(index) && (
              // The latest day's label ends at its bar, inside the drawing.
              <text x={index === data.length - 1 ? x + barWidth : x + barWidth / 2} y={HEIGHT - 6} textAnchor={index === data.length - 1 ? "end" : "middle"} fontSize={11} fill="currentColor">
                {day.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

/** Which colour is which mode, under the bars. */
export function UsageLegend() {
  return (
    <ul className="flex justify-center gap-4 text-xs text-ink-300" aria-label="Modes">
      {MODES.map((mode) => (
        <li key={mode} className="flex items-center gap-1">
          <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ background: MODE_COLOURS[mode] }} />
          {mode}
        </li>
      ))}
    </ul>
  );
}
