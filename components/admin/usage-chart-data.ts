/** What the usage chart draws (./usage-chart.tsx reads the rows, ./usage-bars.tsx draws them). */
export const MODE_COLOURS = { turbo: "#f472b6", fast: "#8b7cf6", relax: "#34d399" } as const;
export type TChartMode = keyof typeof MODE_COLOURS;

/** One day's GPU time per mode, in the chart's unit. */
export type TUsageDay = { day: string } & Record<TChartMode, number>;
