// #/metric?runs=<id>,<id>&key=<metric>: one metric of one or more runs, full width, with the
// chart controls (kept in the URL: x=, log=, smooth=), breadcrumbs back to the run(s) and a
// table of the latest / min / max value per run. The chart starts fetching at once; run names
// and start times fill in when the runs arrive.
import { useState } from "preact/hooks";
import { toNumber } from "../../api/http";
import { getExperiment, getRun } from "../../api/tracking";
import type { Run } from "../../api/types";
import { colorFor, seriesColors } from "../../charts/colors";
import { MetricChart, type ChartSeries, type ChartXAxis, type SeriesSummary } from "../../charts/MetricChart";
import { formatStep, formatValue } from "../../charts/scale";
import { clampWeight } from "../../charts/smoothing";
import { isChartXAxis } from "../../charts/types";
import { EmptyState, ErrorBanner, PageHeader } from "../../components/common";
import { useAsync } from "../../lib/useAsync";
import { href, navigate, routes, updateQuery, useLocation } from "../../router";
import "../../charts/charts.css";

type RunResult = Run | Error;

export function parseRunIds(value: string | null): string[] {
  const ids = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return [...new Set(ids)];
}

function runName(run: RunResult | undefined, runId: string): string {
  if (run && !(run instanceof Error)) return run.info.run_name || runId.slice(0, 8);
  return runId.slice(0, 8);
}

export function MetricPage() {
  const { query } = useLocation();
  const runIds = parseRunIds(query.get("runs"));
  const key = query.get("key") ?? "";
  const rawX = query.get("x");
  const xAxis: ChartXAxis = isChartXAxis(rawX) ? rawX : "step";
  const logY = query.get("log") === "1";
  const smoothing = clampWeight(Number(query.get("smooth") ?? 0));
  const runs = useAsync<RunResult[]>(
    () => Promise.all(runIds.map((id) => getRun(id).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))))),
    [runIds.join(",")],
  );
  const firstRun = runs.data?.find((r): r is Run => !(r instanceof Error));
  const experimentId = firstRun?.info.experiment_id;
  const experiment = useAsync(() => (experimentId ? getExperiment(experimentId) : Promise.resolve(undefined)), [experimentId]);
  const [summaries, setSummaries] = useState<Map<string, SeriesSummary>>(new Map());

  if (runIds.length === 0 || !key) {
    return (
      <EmptyState title="Choose a metric">
        This page shows one metric of one or more runs: open it from a run's metrics, e.g.{" "}
        <code>#/metric?runs=&lt;run id&gt;&amp;key=&lt;metric&gt;</code>.
      </EmptyState>
    );
  }

  const colors = seriesColors(runIds);
  const series: ChartSeries[] = runIds.map((id, i) => {
    const run = runs.data?.[i];
    return {
      runId: id,
      runName: runName(run, id),
      startTime: run && !(run instanceof Error) ? run.info.start_time : undefined,
      color: colors[i],
    };
  });
  const crumbs = [{ label: "Experiments", href: href(routes.experiments()) }];
  if (experimentId) {
    crumbs.push({ label: experiment.data?.name ?? `Experiment ${experimentId}`, href: href(routes.experiment(experimentId)) });
    if (runIds.length === 1 && firstRun) {
      crumbs.push({ label: runName(firstRun, firstRun.info.run_id), href: href(routes.run(experimentId, firstRun.info.run_id)) });
    }
  }
  const otherKeys = [...new Set((runs.data ?? []).flatMap((r) => (r instanceof Error ? [] : (r.data.metrics ?? []).map((m) => m.key))))].sort();
  const failed = (runs.data ?? []).map((r, i) => [runIds[i], r] as const).filter(([, r]) => r instanceof Error);

  return (
    <div class="metric-page" data-testid="metric-page">
      <PageHeader
        crumbs={crumbs}
        title={<span class="mono" style={{ fontSize: "19px" }}>{key}</span>}
        subtitle={<RunLinks series={series} runs={runs.data} />}
        actions={otherKeys.length > 1 && (
          <label class="mc-field">
            <span>Metric</span>
            <select class="mc-key-select" value={key} data-testid="metric-key-select"
              onChange={(e) => navigate(routes.metric(), { ...Object.fromEntries(query), key: (e.currentTarget as HTMLSelectElement).value })}>
              {otherKeys.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
        )}
      />
      {failed.map(([id, error]) => <ErrorBanner key={id} error={error} />)}
      <section class="panel">
        <MetricChart
          key={key}
          metricKey={key}
          series={series}
          xAxis={xAxis}
          logY={logY}
          smoothing={smoothing}
          height={460}
          controls
          onXAxisChange={(x) => updateQuery({ x: x === "step" ? null : x })}
          onLogYChange={(log) => updateQuery({ log: log ? "1" : null })}
          onSmoothingChange={(s) => updateQuery({ smooth: s > 0 ? String(s) : null })}
          onSummary={(list) => setSummaries(new Map(list.map((s) => [s.runId, s])))}
        />
      </section>
      <section class="panel">
        <h2>Summary</h2>
        <SummaryTable series={series} runs={runs.data} metricKey={key} summaries={summaries} />
      </section>
    </div>
  );
}

function RunLinks({ series, runs }: { series: ChartSeries[]; runs: RunResult[] | undefined }) {
  return (
    <span>
      {series.length === 1 ? "Run " : `${series.length} runs: `}
      {series.map((s, i) => {
        const run = runs?.[i];
        const link = run && !(run instanceof Error) ? href(routes.run(run.info.experiment_id, s.runId)) : undefined;
        return (
          <span key={s.runId}>
            {i > 0 && ", "}
            {link ? <a href={link}>{s.runName}</a> : <span>{s.runName}</span>}
          </span>
        );
      })}
    </span>
  );
}

function SummaryTable({ series, runs, metricKey, summaries }: {
  series: ChartSeries[]; runs: RunResult[] | undefined; metricKey: string; summaries: Map<string, SeriesSummary>;
}) {
  return (
    <div style={{ overflowX: "auto" }}>
      <table class="table mc-summary" data-testid="metric-summary">
        <thead>
          <tr>
            <th>Run</th>
            <th class="num">Latest</th>
            <th class="num">Latest step</th>
            <th class="num">Min</th>
            <th class="num">Max</th>
            <th class="num">Points</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s, i) => {
            const run = runs?.[i];
            const latest = run && !(run instanceof Error) ? run.data.metrics?.find((m) => m.key === metricKey) : undefined;
            const summary = summaries.get(s.runId);
            const pending = summary === undefined;
            const dash = pending ? "…" : "—";
            return (
              <tr key={s.runId}>
                <td>
                  <span class="mc-swatch" style={{ background: s.color ?? colorFor(s.runId) }} />
                  {run && !(run instanceof Error)
                    ? <a href={href(routes.run(run.info.experiment_id, s.runId))}>{s.runName}</a>
                    : s.runName}
                </td>
                <td class="num">{latest ? formatValue(toNumber(latest.value)) : runs ? "—" : "…"}</td>
                <td class="num">{latest ? formatStep(latest.step) : runs ? "—" : "…"}</td>
                <td class="num">{summary?.min !== null && summary?.min !== undefined ? formatValue(summary.min) : dash}</td>
                <td class="num">{summary?.max !== null && summary?.max !== undefined ? formatValue(summary.max) : dash}</td>
                <td class="num">{summary ? summary.totalPoints.toLocaleString("en-US") : dash}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
