// PLACEHOLDER (the charts work replaces this file; the props are the contract).
// A line chart of one metric for one or many runs. It fetches a reduction sized to its own
// pixel width from ajax-api/2.0/mltrail/metrics/history-reduced, re-fetches the finer range
// when the user zooms, and sets data-state="drawn" on its root once the data is drawn.
export type ChartXAxis = "step" | "time" | "relative";

export interface ChartSeries {
  runId: string;
  runName: string;
  /** Run start time (ms), for the "relative" x axis. */
  startTime?: number;
  color?: string;
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
}

export function MetricChart(props: MetricChartProps) {
  return <div class="metric-chart" data-state="drawn">{props.metricKey}</div>;
}

export interface MetricChartsGridProps {
  /** One chart per key, each overlaying every run in `series`. */
  metricKeys: string[];
  series: ChartSeries[];
  /** Keep x-axis / log / smoothing choices in the URL query (x=, log=, smooth=). */
  urlState?: boolean;
}

/** A responsive grid of MetricChart cards with one shared set of controls. */
export function MetricChartsGrid(props: MetricChartsGridProps) {
  return <div class="metric-charts-grid">{props.metricKeys.map((k) => <MetricChart key={k} metricKey={k} series={props.series} />)}</div>;
}
