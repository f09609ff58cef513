// Hover: the element of each visible series nearest to the cursor's x, and the tooltip text.
import { formatDateTime, formatDuration, formatStep, formatValue } from "./scale";
import type { SeriesData } from "./series";
import type { ChartXAxis } from "./types";
import type { SeriesView, View } from "./view";

export interface HoverRow {
  runId: string;
  name: string;
  color: string;
  /** "0.53" for a point, "-0.5 … 100 (38 points)" for a bucket. */
  value: string;
  /** The smoothed value when smoothing is on. */
  smoothed: string | null;
  /** Where this row's element is ("step 31,337"), shown when it differs from the title. */
  at: string;
  /** The other axis of a raw point ("2023-11-14 22:13:20" / "step 12"). */
  other: string | null;
  /** The mean of a bucket ("mean 0.42"). */
  extra: string | null;
  /** Pixel position of the marker dot (null when the value is not drawable). */
  px: number;
  py: number | null;
}

export interface HoverInfo {
  /** Cursor x in CSS px (the crosshair). */
  px: number;
  title: string;
  /** The other axis when every row shares it ("2023-11-14 22:13:44"). */
  subtitle: string | null;
  rows: HoverRow[];
}

/** Index of the element whose x range is nearest to API x `x` (data sorted by x); -1 if empty. */
export function nearestIndex(data: SeriesData, x: number): number {
  const n = data.n;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.x1[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  // lo: first element whose x1 >= x. Compare with the previous one.
  if (lo > 0) {
    const before = x - data.x1[lo - 1];
    const after = data.x0[lo] - x;
    if (after > 0 && before < after) return lo - 1;
  }
  return lo;
}

function formatX(mode: ChartXAxis, x: number): string {
  if (mode === "step") return `step ${formatStep(x)}`;
  if (mode === "time") return formatDateTime(x);
  return `${x >= 0 ? "+" : ""}${formatDuration(x, 1)}`;
}

function formatXRange(mode: ChartXAxis, a: number, b: number): string {
  if (a === b) return formatX(mode, a);
  if (mode === "step") return `steps ${formatStep(a)}–${formatStep(b)}`;
  if (mode === "time") return `${formatDateTime(a)} – ${formatDateTime(b).slice(11)}`;
  return `${formatX(mode, a)} – ${formatX(mode, b)}`;
}

function rowFor(view: View, s: SeriesView, i: number): HoverRow {
  const d = s.data;
  const x0 = d.x0[i] - s.offset;
  const x1 = d.x1[i] - s.offset;
  const bucket = d.reduced && d.count[i] > 1;
  const value = bucket
    ? `${formatValue(d.lo[i])} … ${formatValue(d.hi[i])} (${Math.round(d.count[i]).toLocaleString("en-US")} points)`
    : formatValue(d.mean[i]);
  const other = !d.reduced && d.step && d.time
    ? view.xAxis === "step" ? formatDateTime(d.time[i]) : `step ${formatStep(d.step[i])}`
    : null;
  const extra = bucket ? `mean ${formatValue(d.mean[i])}` : null;
  const shown = s.smooth ? s.smooth[i] : d.mean[i];
  const py = view.y.map(shown);
  return {
    runId: s.runId, name: s.name, color: s.color, value,
    smoothed: s.smooth ? formatValue(s.smooth[i]) : null,
    at: formatXRange(view.xAxis, x0, x1), other, extra,
    px: view.x.map((x0 + x1) / 2),
    py: Number.isFinite(py) && Number.isFinite(shown) ? py : null,
  };
}

/** The tooltip for the cursor at CSS px `px` (null outside the plot or without data). */
export function hoverAt(view: View, px: number): HoverInfo | null {
  const { plot } = view;
  if (px < plot.left - 1 || px > plot.left + plot.width + 1) return null;
  const x = view.x.invert(px);
  const rows: HoverRow[] = [];
  for (const s of view.series) {
    const i = nearestIndex(s.data, x + s.offset);
    if (i < 0) continue;
    const row = rowFor(view, s, i);
    if (row.px < plot.left - 2 || row.px > plot.left + plot.width + 2) continue;
    rows.push(row);
  }
  if (rows.length === 0) return null;
  // Title: the x of the row closest to the cursor.
  const closest = rows.reduce((best, r) => (Math.abs(r.px - px) < Math.abs(best.px - px) ? r : best), rows[0]);
  const shared = rows.every((r) => r.at === closest.at && r.other === closest.other) ? closest.other : null;
  if (shared) for (const r of rows) r.other = null;
  return { px, title: closest.at, subtitle: shared, rows };
}
