// Parallel coordinates of the compared runs: one vertical axis per chosen field, one polyline
// per run in its color. Hovering a line highlights its run; dragging along an axis brushes a
// range, and only runs inside every brush stay highlighted (a click on an axis clears it).
import { useState } from "preact/hooks";
import { formatMetric } from "../../lib/format";
import { buildAxis, truncate, type Axis } from "./axes";
import { fieldValue, parseFieldId, type CompareRun, type Field } from "./diff";
import { fieldLabel } from "./FieldSelect";
import { useWidth } from "./useWidth";

const HEIGHT = 380;
const TOP = 44;
const BOTTOM = HEIGHT - 24;
const SIDE = 70;

export type Brushes = Record<string, [number, number]>;

/** Indexes of the runs whose positions fall inside every brush (all when there are none). */
export function brushedRuns(positions: (number | undefined)[][], dims: string[], brushes: Brushes): Set<number> {
  const active = new Set<number>();
  positions.forEach((row, runIndex) => {
    const inside = dims.every((dim, d) => {
      const brush = brushes[dim];
      if (!brush) return true;
      const p = row[d];
      return p !== undefined && p >= brush[0] && p <= brush[1];
    });
    if (inside) active.add(runIndex);
  });
  return active;
}

/** SVG path through the defined points; a missing value breaks the line. */
export function linePath(xs: number[], ys: (number | undefined)[]): string {
  let d = "";
  let pen = false;
  ys.forEach((y, i) => {
    if (y === undefined) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${xs[i].toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

function DimensionPicker({ fields, dims, onChange }: { fields: Field[]; dims: string[]; onChange: (dims: string[]) => void }) {
  const toggle = (id: string, on: boolean) => {
    const chosen = new Set(on ? [...dims, id] : dims.filter((d) => d !== id));
    onChange(fields.map((f) => f.id).filter((fid) => chosen.has(fid)));
  };
  return (
    <details class="cmp-picker">
      <summary class="btn btn-small" data-testid="pc-dimensions">Axes ({dims.length})</summary>
      <div class="cmp-picker-menu">
        {(["param", "metric"] as const).map((kind) => {
          const group = fields.filter((f) => f.kind === kind);
          if (group.length === 0) return null;
          return (
            <fieldset key={kind}>
              <legend>{kind === "param" ? "Params" : "Metrics"}</legend>
              {group.map((f) => (
                <label key={f.id}>
                  <input type="checkbox" checked={dims.includes(f.id)}
                    onChange={(e) => toggle(f.id, (e.target as HTMLInputElement).checked)} />
                  <span class="mono">{f.key}</span>
                </label>
              ))}
            </fieldset>
          );
        })}
      </div>
    </details>
  );
}

function AxisView({ axis, x, label, brush, onBrushStart }: {
  axis: Axis; x: number; label: string; brush?: [number, number]; onBrushStart: (e: PointerEvent) => void;
}) {
  return (
    <g class="cmp-axis pc-axis" data-testid="pc-axis">
      <g><title>{label}</title><text class="cmp-axis-label" x={x} y={TOP - 22} text-anchor="middle">{truncate(label, 18)}</text></g>
      <line x1={x} x2={x} y1={TOP} y2={BOTTOM} />
      {axis.ticks.map((t) => (
        <g key={`${t.label}-${t.pos}`}>
          <line x1={x - 4} x2={x} y1={t.pos} y2={t.pos} />
          <text class="pc-tick" x={x - 7} y={t.pos + 4} text-anchor="end">{truncate(t.label, 10)}</text>
        </g>
      ))}
      {brush && <rect class="pc-brush" x={x - 8} width={16} y={brush[0]} height={Math.max(1, brush[1] - brush[0])} />}
      <rect class="pc-axis-hit" x={x - 12} width={24} y={TOP - 6} height={BOTTOM - TOP + 12}
        onPointerDown={onBrushStart}><title>Drag to filter by {label}</title></rect>
    </g>
  );
}

export function ParallelCoordinates({ runs, fields, dims, onDimsChange }: {
  runs: CompareRun[];
  fields: Field[];
  /** Chosen field ids, in axis order. */
  dims: string[];
  onDimsChange: (dims: string[]) => void;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(900);
  const [hover, setHover] = useState<number | undefined>(undefined);
  const [brushes, setBrushes] = useState<Brushes>({});
  const [drag, setDrag] = useState<{ dim: string; start: number } | undefined>(undefined);
  const chosen = dims.map(parseFieldId).filter((f): f is Field => f !== undefined);
  const plotWidth = Math.max(360, width);
  const step = chosen.length > 1 ? (plotWidth - 2 * SIDE) / (chosen.length - 1) : 0;
  const axisX = chosen.map((_, i) => (chosen.length > 1 ? SIDE + i * step : plotWidth / 2));
  const values = chosen.map((field) => runs.map((run) => fieldValue(run, field)));
  const axes = values.map((column) => buildAxis(column, [BOTTOM, TOP], 6));
  const positions = runs.map((_, r) => axes.map((axis, d) => axis.position(values[d][r])));
  const liveBrushes: Brushes = {};
  for (const f of chosen) if (brushes[f.id]) liveBrushes[f.id] = brushes[f.id];
  const active = brushedRuns(positions, chosen.map((f) => f.id), liveBrushes);
  const brushing = Object.keys(liveBrushes).length > 0;

  const svgY = (event: PointerEvent) => {
    const svg = (event.currentTarget as Element).closest("svg") ?? (event.currentTarget as Element);
    const y = event.clientY - svg.getBoundingClientRect().top;
    return Math.min(BOTTOM, Math.max(TOP, y));
  };
  const onBrushStart = (dim: string) => (event: PointerEvent) => {
    event.preventDefault();
    (event.currentTarget as Element).setPointerCapture?.(event.pointerId);
    setDrag({ dim, start: svgY(event) });
  };
  const onMove = (event: PointerEvent) => {
    if (!drag) return;
    const y = svgY(event);
    if (Math.abs(y - drag.start) < 3) return;
    setBrushes((b) => ({ ...b, [drag.dim]: [Math.min(drag.start, y), Math.max(drag.start, y)] }));
  };
  const onUp = (event: PointerEvent) => {
    if (!drag) return;
    const y = svgY(event);
    if (Math.abs(y - drag.start) < 3) {
      setBrushes((b) => {
        const next = { ...b };
        delete next[drag.dim];
        return next;
      });
    }
    setDrag(undefined);
  };

  const hovered = hover !== undefined ? runs[hover] : undefined;
  const order = runs.map((_, i) => i).sort((a, b) => Number(active.has(a)) - Number(active.has(b)) || Number(a === hover) - Number(b === hover));
  return (
    <div class="cmp-plot" data-testid="parallel-coordinates">
      <div class="toolbar">
        <DimensionPicker fields={fields} dims={dims} onChange={onDimsChange} />
        <span class="muted" data-testid="pc-summary">
          {brushing ? `${active.size} of ${runs.length} runs inside the brushed ranges` : "Drag along an axis to filter runs."}
        </span>
        {brushing && <button class="btn btn-small btn-ghost" type="button" onClick={() => setBrushes({})}>Clear brushes</button>}
      </div>
      <div class="cmp-plot-area" ref={ref}>
        {chosen.length === 0 ? (
          <div class="muted cmp-none">Choose at least one axis.</div>
        ) : (
          <svg width={plotWidth} height={HEIGHT} role="img" class={drag ? "pc-dragging" : ""}
            aria-label={`Parallel coordinates of ${chosen.map(fieldLabel).join(", ")}`}
            onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={() => setDrag(undefined)}>
            <g class="pc-lines">
              {order.map((r) => {
                const run = runs[r];
                const d = linePath(axisX, positions[r]);
                const dim = (brushing && !active.has(r)) || (hover !== undefined && hover !== r);
                return (
                  <g key={run.runId} onMouseEnter={() => setHover(r)} onMouseLeave={() => setHover(undefined)}>
                    <path class="pc-hit" d={d} />
                    <path class={`pc-line${dim ? " dimmed" : ""}${hover === r ? " hovered" : ""}`}
                      data-run-id={run.runId} data-active={active.has(r) ? "true" : "false"}
                      d={d} stroke={run.color} />
                    {positions[r].map((p, d2) => p === undefined ? null : (
                      <circle key={d2} class={`pc-dot${dim ? " dimmed" : ""}`} cx={axisX[d2]} cy={p} r={2.5} fill={run.color} />
                    ))}
                  </g>
                );
              })}
            </g>
            {chosen.map((field, d) => (
              <AxisView key={field.id} axis={axes[d]} x={axisX[d]} label={fieldLabel(field)}
                brush={liveBrushes[field.id]} onBrushStart={onBrushStart(field.id)} />
            ))}
          </svg>
        )}
        {hovered && hover !== undefined && (
          <div class="cmp-tooltip pc-tooltip" role="status">
            <div class="cmp-tooltip-title" style={{ color: hovered.color }}>{hovered.runName}</div>
            {chosen.map((field, d) => {
              const v = values[d][hover];
              return (
                <div key={field.id}>
                  <span class="muted">{fieldLabel(field)}</span> {v === undefined ? "—" : typeof v === "number" ? formatMetric(v) : v}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
