// The params and metrics tables of the run overview, searchable when they are long.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { KeyValue, Metric } from "../../api/types";
import { formatMetric, formatTime } from "../../lib/format";
import { href, routes } from "../../router";

/** Tables with more rows than this get a search box. */
const SEARCH_FROM = 10;

function useSearch<T>(rows: T[], text: (row: T) => string) {
  const [query, setQuery] = useState("");
  const needle = query.trim().toLowerCase();
  const shown = needle ? rows.filter((r) => text(r).toLowerCase().includes(needle)) : rows;
  const box = rows.length > SEARCH_FROM ? (
    <input type="search" class="table-search" placeholder={`Search ${rows.length}…`} aria-label="Search"
      value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
  ) : null;
  return { shown, box, needle };
}

function Section({ title, count, box, children, testId }: {
  title: string; count: number; box: ComponentChildren; children: ComponentChildren; testId: string;
}) {
  return (
    <section class="panel" data-testid={testId}>
      <div class="section-head">
        <h2>{title} <span class="count">{count}</span></h2>
        {box}
      </div>
      {children}
    </section>
  );
}

export function ParamsTable({ params }: { params: KeyValue[] }) {
  const sorted = [...params].sort((a, b) => a.key.localeCompare(b.key));
  const { shown, box, needle } = useSearch(sorted, (p) => `${p.key} ${p.value}`);
  return (
    <Section title="Parameters" count={params.length} box={box} testId="run-params">
      {params.length === 0 ? <div class="muted">No parameters logged.</div> : (
        <div class="table-scroll">
          <table class="kv-table">
            <thead><tr><th>Name</th><th>Value</th></tr></thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.key}>
                  <td class="mono key-cell">{p.key}</td>
                  <td class="mono wrap">{p.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {needle && shown.length === 0 && <div class="muted table-empty">No parameter matches.</div>}
        </div>
      )}
    </Section>
  );
}

export function MetricsTable({ runId, metrics }: { runId: string; metrics: Metric[] }) {
  const sorted = [...metrics].sort((a, b) => a.key.localeCompare(b.key));
  const { shown, box, needle } = useSearch(sorted, (m) => m.key);
  return (
    <Section title="Metrics" count={metrics.length} box={box} testId="run-metrics">
      {metrics.length === 0 ? <div class="muted">No metrics logged.</div> : (
        <div class="table-scroll">
          <table class="kv-table">
            <thead><tr><th>Name</th><th>Latest value</th><th>Step</th><th>Logged</th></tr></thead>
            <tbody>
              {shown.map((m) => (
                <tr key={m.key}>
                  <td class="key-cell">
                    <a class="mono" href={href(routes.metric(), { runs: runId, key: m.key })} title={`Chart of ${m.key}`}>{m.key}</a>
                  </td>
                  <td class="mono num">{formatMetric(m.value)}</td>
                  <td class="mono num muted">{m.step}</td>
                  <td class="muted nowrap">{formatTime(m.timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {needle && shown.length === 0 && <div class="muted table-empty">No metric matches.</div>}
        </div>
      )}
    </Section>
  );
}
