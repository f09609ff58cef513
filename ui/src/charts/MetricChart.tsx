// The charts' public entry point (other pages import from here): MetricChart, a canvas line
// chart of one metric for one or many runs that fetches a reduction sized to its pixel width
// from ajax-api/2.0/mltrail/metrics/history-reduced, re-fetches the finer range when the user
// zooms, and sets data-state="drawn" on its root once the data is drawn; MetricChartsGrid, a
// grid of such charts with shared controls.
export { MetricChart } from "./Chart";
export { MetricChartsGrid } from "./ChartsGrid";
export { ChartControls } from "./ChartControls";
export { colorFor } from "./colors";
export type {
  ChartSeries, ChartXAxis, MetricChartProps, MetricChartsGridProps, SeriesSummary,
} from "./types";
