// Scatter plot of two fields (params or metrics) of the compared runs, one colored point per
// run. Numbers get linear axes, text params categorical ones. Hover (or focus) shows the run
// and both values; a point is a link to its run.
import { useState } from "preact/hooks";
import { formatMetric } from "../../lib/format";
import { href, routes } from "../../router";
import { buildAxis, truncate, type Axis } from "./axes";
import { fieldValue, parseFieldId, type CompareRun, type Field } from "./diff";
import { FieldSelect, fieldLabel } from "./FieldSelect";
import { useWidth } from "./useWidth";

const HEIGHT = 380;
const MARGIN = { top: 16, right: 24, bottom: 52, left: 72 };

function showValue(value: string | number | undefined): string {
  if (value === undefined) return "—";
  return typeof value === "number" ? formatMetric(value) : value;
}

function XAxis({ axis, y, label, width }: { axis: Axis; y: number; label: string; width: number }) {
  const maxChars = Math.max(4, Math.floor((width - MARGIN.left - MARGIN.right) / Math.max(1, axis.ticks.length) / 7));
  return (
    <g class="cmp-axis">
      <line x1={axis.range[0]} x2={axis.range[1]} y1={y} y2={y} />
      {axis.ticks.map((t) => (
        <g key={`${t.label}-${t.pos}`}>
          <line x1={t.pos} x2={t.pos} y1={y} y2={y + 5} />
          <text x={t.pos} y={y + 18} text-anchor="middle">{truncate(t.label, maxChars)}</text>
        </g>
      ))}
      <text class="cmp-axis-label" x={(axis.range[0] + axis.range[1]) / 2} y={y + 40} text-anchor="middle">{label}</text>
    </g>
  );
}

function YAxis({ axis, x, label }: { axis: Axis; x: number; label: string }) {
  const middle = (axis.range[0] + axis.range[1]) / 2;
  return (
    <g class="cmp-axis">
      <line x1={x} x2={x} y1={axis.range[0]} y2={axis.range[1]} />
      {axis.ticks.map((t) => (
        <g key={`${t.label}-${t.pos}`}>
          <line x1={x - 5} x2={x} y1={t.pos} y2={t.pos} />
          <text x={x - 8} y={t.pos + 4} text-anchor="end">{truncate(t.label, 9)}</text>
        </g>
      ))}
      <text class="cmp-axis-label" transform={`translate(${x - 58},${middle}) rotate(-90)`} text-anchor="middle">{label}</text>
    </g>
  );
}

export function ScatterPlot({ runs, fields, x, y, onChange }: {
  runs: CompareRun[];
  fields: Field[];
  /** Field ids ("param:lr", "metric:f1"). */
  x: string;
  y: string;
  onChange: (x: string, y: string) => void;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(720);
  const [hover, setHover] = useState<number | undefined>(undefined);
  const xField = parseFieldId(x);
  const yField = parseFieldId(y);
  if (fields.length === 0) return <div class="muted">These runs have no params or metrics to plot.</div>;
  const plotWidth = Math.max(320, width);
  const xs = runs.map((run) => (xField ? fieldValue(run, xField) : undefined));
  const ys = runs.map((run) => (yField ? fieldValue(run, yField) : undefined));
  const xAxis = buildAxis(xs, [MARGIN.left, plotWidth - MARGIN.right], Math.max(3, Math.floor(plotWidth / 110)), 16);
  const yAxis = buildAxis(ys, [HEIGHT - MARGIN.bottom, MARGIN.top], 6, 14);
  const points = runs.map((run, index) => ({
    run, index, px: xAxis.position(xs[index]), py: yAxis.position(ys[index]),
  })).filter((p): p is { run: CompareRun; index: number; px: number; py: number } =>
    p.px !== undefined && p.py !== undefined);
  const hidden = runs.length - points.length;
  const hovered = points.find((p) => p.index === hover);
  return (
    <div class="cmp-plot" data-testid="scatter-plot">
      <div class="toolbar">
        <FieldSelect label="X" value={x} fields={fields} testId="scatter-x" onChange={(id) => onChange(id, y)} />
        <FieldSelect label="Y" value={y} fields={fields} testId="scatter-y" onChange={(id) => onChange(x, id)} />
        <button class="btn btn-small btn-ghost" type="button" title="Swap axes" onClick={() => onChange(y, x)}>⇄ Swap</button>
        {hidden > 0 && <span class="muted">{hidden} run{hidden === 1 ? "" : "s"} without both values not shown</span>}
      </div>
      <div class="cmp-plot-area" ref={ref}>
        <svg width={plotWidth} height={HEIGHT} role="img"
          aria-label={`Scatter plot of ${fieldLabel(yField)} against ${fieldLabel(xField)}`}>
          <g class="cmp-grid">
            {yAxis.ticks.map((t) => <line key={`gy${t.pos}`} x1={MARGIN.left} x2={plotWidth - MARGIN.right} y1={t.pos} y2={t.pos} />)}
            {xAxis.ticks.map((t) => <line key={`gx${t.pos}`} x1={t.pos} x2={t.pos} y1={MARGIN.top} y2={HEIGHT - MARGIN.bottom} />)}
          </g>
          <XAxis axis={xAxis} y={HEIGHT - MARGIN.bottom} label={fieldLabel(xField)} width={plotWidth} />
          <YAxis axis={yAxis} x={MARGIN.left} label={fieldLabel(yField)} />
          {points.map((p) => (
            <a key={p.run.runId} href={href(routes.run(p.run.experimentId, p.run.runId))}
              aria-label={`${p.run.runName}: ${showValue(xs[p.index])}, ${showValue(ys[p.index])}`}
              onMouseEnter={() => setHover(p.index)} onMouseLeave={() => setHover(undefined)}
              onFocus={() => setHover(p.index)} onBlur={() => setHover(undefined)}>
              <circle class={`scatter-point${hover === p.index ? " hovered" : ""}`} data-run-id={p.run.runId}
                cx={p.px} cy={p.py} r={hover === p.index ? 8 : 6} fill={p.run.color} />
            </a>
          ))}
        </svg>
        {hovered && (
          <div class="cmp-tooltip" role="status" data-testid="scatter-tooltip"
            style={{ left: `${hovered.px}px`, top: `${hovered.py}px` }}>
            <div class="cmp-tooltip-title" style={{ color: hovered.run.color }}>{hovered.run.runName}</div>
            <div><span class="muted">{fieldLabel(xField)}</span> {showValue(xs[hovered.index])}</div>
            <div><span class="muted">{fieldLabel(yField)}</span> {showValue(ys[hovered.index])}</div>
          </div>
        )}
      </div>
    </div>
  );
}
