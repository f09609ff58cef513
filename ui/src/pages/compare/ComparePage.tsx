// Compare runs: `#/compare-runs?runs=a,b,c&experiments=1` (also MLflow's `runs=["a","b"]`).
// Run facts, params and metrics side by side, overlaid metric charts, a scatter plot and
// parallel coordinates. View choices (only differences, plot fields) live in the URL.
import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { getExperiment } from "../../api/tracking";
import type { Experiment } from "../../api/types";
import { MetricChartsGrid } from "../../charts/MetricChart";
import { seriesColors } from "../../charts/colors";
import { EmptyState, ErrorBanner, PageHeader, Spinner } from "../../components/common";
import { useAsync } from "../../lib/useAsync";
import { href, routes, updateQuery, useLocation } from "../../router";
import { DiffTable, RunsInfoTable } from "./CompareTables";
import {
  allKeys, commonKeys, defaultDimensions, diffRows, flattenRun, MAX_COMPARE_RUNS, parseIdList,
  type CompareRun, type FieldKind,
} from "./diff";
import { fieldsOf } from "./FieldSelect";
import { loadRuns, mapPool, type LoadedRuns } from "./load";
import { ParallelCoordinates } from "./ParallelCoordinates";
import { ScatterPlot } from "./ScatterPlot";
import "./compare.css";

interface Loaded extends LoadedRuns {
  experiments: Map<string, Experiment>;
}

async function load(ids: string[], signal: AbortSignal): Promise<Loaded> {
  const loaded = await loadRuns(ids, signal);
  const experimentIds = [...new Set(loaded.runs.map((run) => run.info.experiment_id))];
  const settled = await mapPool(experimentIds, 8, (id) => getExperiment(id));
  const experiments = new Map<string, Experiment>();
  settled.forEach((result) => {
    if (result.status === "fulfilled") experiments.set(result.value.experiment_id, result.value);
  });
  return { ...loaded, experiments };
}

function parseDims(raw: string | null): string[] | undefined {
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === "string") : undefined;
  } catch {
    return undefined;
  }
}

function Section({ title, testId, actions, children }: {
  title: string; testId: string; actions?: ComponentChildren; children: ComponentChildren;
}) {
  return (
    <section class="panel cmp-section" data-testid={testId} aria-label={title}>
      <div class="cmp-section-head">
        <h2>{title}</h2>
        {actions && <div class="cmp-section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

function OnlyDiffToggle({ runs, kind, onlyDiff }: { runs: CompareRun[]; kind: FieldKind; onlyDiff: boolean }) {
  const rows = diffRows(runs, kind);
  const differing = rows.filter((row) => row.differs).length;
  return (
    <>
      <span class="muted">{differing} of {rows.length} differ</span>
      <label class="cmp-toggle">
        <input type="checkbox" checked={onlyDiff} data-testid={`only-diff-${kind}`}
          onChange={(e) => updateQuery({ diff: (e.target as HTMLInputElement).checked ? "1" : undefined })} />
        Only differences
      </label>
    </>
  );
}

function Comparison({ data, requested }: { data: Loaded; requested: number }) {
  const { query } = useLocation();
  const runs = useMemo(() => {
    const colors = seriesColors(data.runs.map((run) => run.info.run_id));
    return data.runs.map((run, i) => flattenRun(run, colors[i]));
  }, [data]);
  const onlyDiff = query.get("diff") === "1";
  const paramKeys = useMemo(() => allKeys(runs, "param"), [runs]);
  const metricKeys = useMemo(() => allKeys(runs, "metric"), [runs]);
  const common = useMemo(() => commonKeys(runs, "metric"), [runs]);
  const fields = useMemo(() => fieldsOf(paramKeys, metricKeys), [paramKeys, metricKeys]);
  const fieldIds = new Set(fields.map((f) => f.id));
  const differingParam = diffRows(runs, "param").find((row) => row.differs)?.key ?? paramKeys[0];
  const defaultX = differingParam !== undefined ? `param:${differingParam}` : fields[0]?.id ?? "";
  const defaultY = metricKeys[0] !== undefined ? `metric:${metricKeys[0]}` : fields[1]?.id ?? defaultX;
  const sx = query.get("sx");
  const sy = query.get("sy");
  const x = sx && fieldIds.has(sx) ? sx : defaultX;
  const y = sy && fieldIds.has(sy) ? sy : defaultY;
  const dims = (parseDims(query.get("pc")) ?? defaultDimensions(runs).slice(0, 10)).filter((d) => fieldIds.has(d));
  const allCharts = query.get("charts") === "all" || common.length === 0;
  const chartKeys = allCharts ? metricKeys : common;
  const series = useMemo(() => runs.map((r) => ({
    runId: r.runId, runName: r.runName, startTime: r.run.info.start_time, color: r.color,
  })), [runs]);
  return (
    <>
      {data.failures.length > 0 && (
        <div class="state state-error" role="alert" data-testid="compare-failures">
          <strong>{data.failures.length === 1 ? "1 run could not be loaded" : `${data.failures.length} runs could not be loaded`}</strong>
          <ul class="cmp-failures">
            {data.failures.map((f) => <li key={f.runId}><code>{f.runId}</code>: {f.error.message}</li>)}
          </ul>
        </div>
      )}
      {requested > MAX_COMPARE_RUNS && (
        <div class="cmp-note muted">Showing the first {MAX_COMPARE_RUNS} of the {requested} requested runs.</div>
      )}
      {runs.length === 0 ? (
        <EmptyState title="Nothing to compare">None of the requested runs could be loaded.</EmptyState>
      ) : (
        <>
          <Section title="Runs" testId="compare-runs">
            <RunsInfoTable runs={runs} experiments={data.experiments} />
          </Section>
          <Section title="Parameters" testId="compare-params"
            actions={paramKeys.length > 0 && <OnlyDiffToggle runs={runs} kind="param" onlyDiff={onlyDiff} />}>
            <DiffTable runs={runs} kind="param" onlyDiff={onlyDiff} />
          </Section>
          <Section title="Metrics" testId="compare-metrics"
            actions={metricKeys.length > 0 && <OnlyDiffToggle runs={runs} kind="metric" onlyDiff={onlyDiff} />}>
            <DiffTable runs={runs} kind="metric" onlyDiff={onlyDiff} />
          </Section>
          {metricKeys.length > 0 && (
            <Section title="Metric charts" testId="compare-charts"
              actions={common.length > 0 && common.length < metricKeys.length && (
                <label class="cmp-toggle">
                  <input type="checkbox" checked={allCharts}
                    onChange={(e) => updateQuery({ charts: (e.target as HTMLInputElement).checked ? "all" : undefined })} />
                  Include metrics not logged by every run
                </label>
              )}>
              <MetricChartsGrid metricKeys={chartKeys} series={series} urlState />
            </Section>
          )}
          {fields.length > 0 && (
            <Section title="Scatter plot" testId="compare-scatter">
              <ScatterPlot runs={runs} fields={fields} x={x} y={y}
                onChange={(nx, ny) => updateQuery({ sx: nx, sy: ny })} />
            </Section>
          )}
          {fields.length > 0 && (
            <Section title="Parallel coordinates" testId="compare-parallel">
              <ParallelCoordinates runs={runs} fields={fields} dims={dims}
                onDimsChange={(next) => updateQuery({ pc: JSON.stringify(next) })} />
            </Section>
          )}
        </>
      )}
    </>
  );
}

export function ComparePage() {
  const { query } = useLocation();
  const rawRuns = query.get("runs");
  const rawExperiments = query.get("experiments");
  const allIds = useMemo(() => parseIdList(rawRuns), [rawRuns]);
  const ids = allIds.slice(0, MAX_COMPARE_RUNS);
  const experimentIds = parseIdList(rawExperiments);
  const state = useAsync((signal) => load(ids, signal), [ids.join(",")]);
  const single = experimentIds.length === 1 ? experimentIds[0] : undefined;
  const experimentName = single ? state.data?.experiments.get(single)?.name ?? `Experiment ${single}` : undefined;
  const crumbs = [{ label: "Experiments", href: href(routes.experiments()) }];
  if (single && experimentName) crumbs.push({ label: experimentName, href: href(routes.experiment(single)) });
  else if (experimentIds.length > 1) {
    crumbs.push({
      label: `${experimentIds.length} experiments`,
      href: href(routes.compareExperiments(), { experiments: experimentIds.join(",") }),
    });
  }
  if (ids.length === 0) {
    return (
      <div class="compare-page">
        <PageHeader title="Compare runs" crumbs={crumbs} />
        <EmptyState title="No runs to compare">
          Select two or more runs in an experiment's run table and choose <em>Compare</em>.
        </EmptyState>
      </div>
    );
  }
  const count = state.data?.runs.length ?? ids.length;
  return (
    <div class="compare-page" data-testid="compare-page">
      <PageHeader title={`Comparing ${count} run${count === 1 ? "" : "s"}`} crumbs={crumbs}
        subtitle={experimentName ? <>in <a href={href(routes.experiment(single ?? ""))}>{experimentName}</a></> : undefined} />
      {state.loading && !state.data && <Spinner label={`Loading ${ids.length} runs…`} />}
      {state.error && <ErrorBanner error={state.error} onRetry={state.reload} />}
      {state.data && <Comparison data={state.data} requested={allIds.length} />}
    </div>
  );
}
