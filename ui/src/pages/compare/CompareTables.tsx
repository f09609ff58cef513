// The side-by-side tables of the comparison: one column per run. The header table holds each
// run's facts; the params and metrics tables hold one row per key, rows that differ marked.
import type { ComponentChildren } from "preact";
import type { Experiment } from "../../api/types";
import { StatusBadge } from "../../components/common";
import { formatDuration, formatMetric, formatTime } from "../../lib/format";
import { href, routes } from "../../router";
import { diffRows, extremes, type CompareRun, type FieldKind } from "./diff";

export function RunHeading({ run }: { run: CompareRun }) {
  return (
    <a class="cmp-run-name" href={href(routes.run(run.experimentId, run.runId))} title={run.runName}>
      <span class="cmp-swatch" style={{ background: run.color }} aria-hidden="true" />
      <span style={{ color: run.color }}>{run.runName}</span>
    </a>
  );
}

function HeaderRow({ runs, label }: { runs: CompareRun[]; label: string }) {
  return (
    <thead>
      <tr>
        <th class="cmp-key" scope="col">{label}</th>
        {runs.map((run) => <th key={run.runId} scope="col"><RunHeading run={run} /></th>)}
      </tr>
    </thead>
  );
}

export function duration(run: CompareRun, now = Date.now()): number | undefined {
  const { start_time: start, end_time: end, status } = run.run.info;
  if (!start) return undefined;
  if (end) return end - start;
  return status === "RUNNING" ? now - start : undefined;
}

export function RunsInfoTable({ runs, experiments }: { runs: CompareRun[]; experiments: Map<string, Experiment> }) {
  const rows: { label: string; cell: (run: CompareRun) => ComponentChildren }[] = [
    { label: "Run ID", cell: (run) => <span class="mono">{run.runId}</span> },
    {
      label: "Experiment",
      cell: (run) => (
        <a href={href(routes.experiment(run.experimentId))}>
          {experiments.get(run.experimentId)?.name ?? run.experimentId}
        </a>
      ),
    },
    { label: "Status", cell: (run) => <StatusBadge status={run.run.info.status} /> },
    { label: "Started", cell: (run) => formatTime(run.run.info.start_time) },
    { label: "Duration", cell: (run) => formatDuration(duration(run)) },
  ];
  return (
    <div class="cmp-scroll">
      <table class="table cmp-table" data-testid="compare-runs-table">
        <HeaderRow runs={runs} label="Run" />
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th class="cmp-key" scope="row">{row.label}</th>
              {runs.map((run) => <td key={run.runId}>{row.cell(run)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function cellText(value: string | number | undefined, kind: FieldKind): string {
  if (value === undefined) return "";
  return kind === "metric" ? formatMetric(value as number) : String(value);
}

/** Params or metrics, rows = keys, columns = runs; differing rows get class "diff". */
export function DiffTable({ runs, kind, onlyDiff }: { runs: CompareRun[]; kind: FieldKind; onlyDiff: boolean }) {
  const all = diffRows(runs, kind);
  const rows = onlyDiff ? all.filter((row) => row.differs) : all;
  const noun = kind === "param" ? "params" : "metrics";
  if (all.length === 0) return <div class="muted cmp-none">These runs have no {noun}.</div>;
  return (
    <div class="cmp-scroll">
      <table class="table cmp-table" data-testid={`compare-${noun}-table`}>
        <HeaderRow runs={runs} label={kind === "param" ? "Param" : "Metric (latest)"} />
        <tbody>
          {rows.map((row) => {
            const marks = kind === "metric" ? extremes(row.values) : undefined;
            return (
              <tr key={row.key} class={row.differs ? "diff" : ""} data-key={row.key}
                title={row.differs ? "Values differ" : undefined}>
                <th class="cmp-key mono" scope="row">{row.key}</th>
                {row.values.map((value, index) => {
                  const isMin = marks?.min.includes(index);
                  const isMax = marks?.max.includes(index);
                  const cls = [
                    value === undefined ? "cmp-missing" : "",
                    isMin ? "metric-min" : "",
                    isMax ? "metric-max" : "",
                    "mono",
                  ].filter(Boolean).join(" ");
                  return (
                    <td key={runs[index].runId} class={cls}
                      title={isMin ? "Lowest" : isMax ? "Highest" : value === undefined ? "Not logged" : undefined}>
                      {value === undefined ? "—" : cellText(value, kind)}
                      {isMin && <span class="cmp-mark" aria-label="lowest"> ▼</span>}
                      {isMax && <span class="cmp-mark" aria-label="highest"> ▲</span>}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {rows.length === 0 && (
            <tr><td colSpan={runs.length + 1} class="muted">All {noun} are identical across these runs.</td></tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
