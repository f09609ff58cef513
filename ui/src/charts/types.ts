// The public props of the chart components (re-exported by MetricChart.tsx, the contract
// other pages use) and small shared types.
export type ChartXAxis = "step" | "time" | "relative";

export interface ChartSeries {
  runId: string;
  runName: string;
  /** Run start time (ms), for the "relative" x axis. */
  startTime?: number;
  color?: string;
}

/** What a chart knows about one run's whole series (unzoomed), for tables next to it. */
export interface SeriesSummary {
  runId: string;
  totalPoints: number;
  /** Min / max over the finite values (null when none). */
  min: number | null;
  max: number | null;
  /** How many non-finite values the server reported (at most 1000 are listed). */
  nonFinite: number;
}

export interface MetricChartProps {
  metricKey: string;
  series: ChartSeries[];
  xAxis?: ChartXAxis;
  logY?: boolean;
  /** 0 (none) .. 0.99: exponential moving average weight. */
  smoothing?: number;
  height?: number;
  /** Show the x-axis / log / smoothing controls above the chart. */
  controls?: boolean;
  /** Called when the user changes a control (the chart also keeps the choice itself). */
  onXAxisChange?: (xAxis: ChartXAxis) => void;
  onLogYChange?: (logY: boolean) => void;
  onSmoothingChange?: (smoothing: number) => void;
  /** Called with per-run summaries once the unzoomed data of every run has arrived. */
  onSummary?: (summaries: SeriesSummary[]) => void;
  /** Hide the legend (e.g. a card that shows run names elsewhere). Default: shown. */
  legend?: boolean;
}

export interface MetricChartsGridProps {
  /** One chart per key, each overlaying every run in `series`. */
  metricKeys: string[];
  series: ChartSeries[];
  /** Keep x-axis / log / smoothing choices in the URL query (x=, log=, smooth=). */
  urlState?: boolean;
  /** Chart height in CSS pixels (default 240). */
  height?: number;
}

export const X_AXIS_LABELS: Record<ChartXAxis, string> = {
  step: "Step",
  time: "Wall time",
  relative: "Relative time",
};

export function isChartXAxis(value: string | null | undefined): value is ChartXAxis {
  return value === "step" || value === "time" || value === "relative";
}
