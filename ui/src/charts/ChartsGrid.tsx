// MetricChartsGrid: one chart card per metric key with one shared controls bar. Cards fetch
// only when scrolled near the viewport, so a run with hundreds of metrics stays fast.
import { useState } from "preact/hooks";
import { EmptyState } from "../components/common";
import { href, routes, updateQuery, useLocation } from "../router";
import { MetricChart } from "./Chart";
import { ChartControls } from "./ChartControls";
import { clampWeight } from "./smoothing";
import { isChartXAxis, type ChartXAxis, type MetricChartsGridProps } from "./types";
import "./charts.css";

const FILTER_FROM = 7;

export function MetricChartsGrid(props: MetricChartsGridProps) {
  const { metricKeys, series, urlState = false, height = 240 } = props;
  const { query } = useLocation();
  const [local, setLocal] = useState<{ x: ChartXAxis; log: boolean; smooth: number }>({ x: "step", log: false, smooth: 0 });
  const [filter, setFilter] = useState("");
  const urlX = query.get("x");
  const xAxis: ChartXAxis = urlState ? (isChartXAxis(urlX) ? urlX : "step") : local.x;
  const logY = urlState ? query.get("log") === "1" : local.log;
  const smoothing = urlState ? clampWeight(Number(query.get("smooth") ?? 0)) : local.smooth;
  const setX = (x: ChartXAxis) => (urlState ? updateQuery({ x: x === "step" ? null : x }) : setLocal({ ...local, x }));
  const setLog = (log: boolean) => (urlState ? updateQuery({ log: log ? "1" : null }) : setLocal({ ...local, log }));
  const setSmooth = (smooth: number) =>
    urlState ? updateQuery({ smooth: smooth > 0 ? String(smooth) : null }) : setLocal({ ...local, smooth });

  const needle = filter.trim().toLowerCase();
  const keys = needle ? metricKeys.filter((k) => k.toLowerCase().includes(needle)) : metricKeys;
  const runs = series.map((s) => s.runId).join(",");
  const showLegend = series.length > 1 && series.length <= 12;
  const expandQuery = (key: string) => ({
    runs, key, x: xAxis === "step" ? undefined : xAxis, log: logY ? "1" : undefined,
    smooth: smoothing > 0 ? String(smoothing) : undefined,
  });

  if (metricKeys.length === 0) {
    return <EmptyState title="No metrics">Nothing has been logged with log_metric yet.</EmptyState>;
  }
  return (
    <div class="mc-grid-wrap" data-testid="metric-charts-grid">
      <ChartControls xAxis={xAxis} logY={logY} smoothing={smoothing} onXAxis={setX} onLogY={setLog} onSmoothing={setSmooth}>
        {metricKeys.length >= FILTER_FROM && (
          <input type="search" class="mc-filter" placeholder={`Filter ${metricKeys.length} metrics`} value={filter}
            aria-label="Filter metrics" data-testid="chart-filter"
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)} />
        )}
      </ChartControls>
      {keys.length === 0 ? (
        <EmptyState title="No matching metrics">No metric key contains “{filter}”.</EmptyState>
      ) : (
        <div class="mc-grid">
          {keys.map((key) => (
            <section class="panel mc-card" key={key} data-testid="metric-chart-card">
              <header class="mc-card-head">
                <h3 title={key}>{key}</h3>
                <a class="btn btn-small btn-ghost" href={href(routes.metric(), expandQuery(key))}
                  title={`Open ${key} full width`} aria-label={`Open ${key} full width`}>Expand ↗</a>
              </header>
              <MetricChart metricKey={key} series={series} xAxis={xAxis} logY={logY} smoothing={smoothing}
                height={height} legend={showLegend} />
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
