// Canvas painting of a View: grid, tick labels, min–max bands, lines, edge markers (main
// canvas) and the crosshair / drag selection (overlay canvas). Colors come from CSS variables
// so light and dark themes both work; everything is aligned to device pixels.
import type { HoverInfo } from "./hover";
import type { SeriesView, View } from "./view";

export interface ChartTheme {
  grid: string;
  axis: string;
  text: string;
  panel: string;
  accent: string;
  font: string;
}

export function readTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const family = style.fontFamily || "system-ui, sans-serif";
  return {
    grid: v("--chart-grid", "#e6e9ee"),
    axis: v("--chart-axis", "#5d6778"),
    text: v("--text", "#1c2330"),
    panel: v("--panel", "#ffffff"),
    accent: v("--accent", "#0b6e6e"),
    font: `11px ${family}`,
  };
}

/** Size a canvas for CSS size w x h at the device pixel ratio; returns the 2D context or null. */
export function prepareCanvas(canvas: HTMLCanvasElement, w: number, h: number, dpr: number): CanvasRenderingContext2D | null {
  const bw = Math.max(1, Math.round(w * dpr));
  const bh = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== bw) canvas.width = bw;
  if (canvas.height !== bh) canvas.height = bh;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext("2d");
  } catch {
    ctx = null;
  }
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

/** A coordinate on the device-pixel grid for a 1-CSS-px line (crisp on any ratio). */
function crisp(v: number, dpr: number): number {
  const lineDevice = Math.max(1, Math.round(dpr));
  return (Math.round(v * dpr) + (lineDevice % 2 ? 0.5 : 0)) / dpr;
}

function withAlpha(color: string, alpha: number): string {
  const hex = color.trim();
  if (/^#[0-9a-f]{6}$/i.test(hex)) {
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  if (/^#[0-9a-f]{3}$/i.test(hex)) {
    const [r, g, b] = [1, 2, 3].map((i) => parseInt(hex[i] + hex[i], 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}

export function drawChart(ctx: CanvasRenderingContext2D, view: View, theme: ChartTheme, dpr: number): void {
  const { plot } = view;
  ctx.font = theme.font;
  ctx.lineWidth = 1;
  // Grid.
  ctx.strokeStyle = theme.grid;
  ctx.beginPath();
  for (const t of view.yTicks) {
    const y = crisp(view.y.map(t.value), dpr);
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
  }
  for (const t of view.xTicks) {
    const x = crisp(view.x.map(t.value), dpr);
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height);
  }
  ctx.stroke();
  // Zero line and the x axis baseline.
  ctx.strokeStyle = withAlpha(theme.axis, 0.55);
  ctx.beginPath();
  const bottom = crisp(plot.top + plot.height, dpr);
  ctx.moveTo(plot.left, bottom);
  ctx.lineTo(plot.left + plot.width, bottom);
  if (view.y.kind === "linear" && view.y.domain[0] < 0 && view.y.domain[1] > 0) {
    const zero = crisp(view.y.map(0), dpr);
    ctx.moveTo(plot.left, zero);
    ctx.lineTo(plot.left + plot.width, zero);
  }
  ctx.stroke();
  // Tick labels.
  ctx.fillStyle = theme.axis;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of view.yTicks) ctx.fillText(t.label, plot.left - 7, view.y.map(t.value));
  ctx.textBaseline = "top";
  let lastRight = -Infinity;
  for (const t of view.xTicks) {
    const x = view.x.map(t.value);
    const w = ctx.measureText(t.label).width;
    const left = Math.min(Math.max(x - w / 2, plot.left - 8), view.width - w - 2);
    if (left < lastRight + 8) continue;
    ctx.textAlign = "left";
    ctx.fillText(t.label, left, plot.top + plot.height + 7);
    lastRight = left + w;
  }
  // Series, clipped to the plot.
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top - 1, plot.width, plot.height + 2);
  ctx.clip();
  for (const s of view.series) drawSeries(ctx, view, s, dpr);
  ctx.restore();
  // Dots may overhang the plot edge by their radius (a point at x = 0 stays round).
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left - 4, plot.top - 4, plot.width + 8, plot.height + 8);
  ctx.clip();
  for (const s of view.series) drawDots(ctx, view, s);
  ctx.restore();
  for (const s of view.series) drawSpecials(ctx, view, s, theme);
}

function drawSeries(ctx: CanvasRenderingContext2D, view: View, s: SeriesView, dpr: number): void {
  const d = s.data;
  const { x, y, plot } = view;
  const bottom = plot.top + plot.height;
  const smoothing = s.smooth !== null;
  // Visible index range (with one neighbour each side so lines leave the plot edge).
  const [first, last] = visibleRange(view, s);
  if (last < first) return;
  const yOf = (v: number) => (Number.isFinite(v) ? y.map(v) : NaN);
  if (d.reduced) {
    // One min–max band per bucket, at least one device pixel wide, so spikes stay visible.
    const minW = Math.max(1, 1 / dpr);
    ctx.fillStyle = s.color;
    ctx.globalAlpha = smoothing ? 0.14 : 0.24;
    ctx.beginPath();
    for (let i = first; i <= last; i++) {
      const top = yOf(d.hi[i]);
      if (!Number.isFinite(top)) continue;
      let low = yOf(d.lo[i]);
      if (!Number.isFinite(low)) low = bottom + 2;
      const a = x.map(d.x0[i] - s.offset);
      const b = x.map(d.x1[i] - s.offset);
      const w = Math.max(minW, b - a);
      ctx.rect((a + b) / 2 - w / 2, top, w, Math.max(minW, low - top));
    }
    ctx.fill();
    // Envelope edges through the bucket centers: a thin outline that makes spikes stand out.
    ctx.strokeStyle = s.color;
    ctx.globalAlpha = smoothing ? 0.3 : 0.55;
    ctx.lineWidth = 1;
    strokePolyline(ctx, first, last, (i) => x.map((d.x0[i] + d.x1[i]) / 2 - s.offset), (i) => yOf(d.hi[i]));
    strokePolyline(ctx, first, last, (i) => x.map((d.x0[i] + d.x1[i]) / 2 - s.offset), (i) => yOf(d.lo[i]));
  }
  const xc = (i: number) => x.map((d.x0[i] + d.x1[i]) / 2 - s.offset);
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  ctx.strokeStyle = s.color;
  ctx.globalAlpha = smoothing ? 0.35 : 1;
  ctx.lineWidth = smoothing ? 1 : 1.6;
  strokePolyline(ctx, first, last, xc, (i) => yOf(d.mean[i]));
  ctx.globalAlpha = 1;
  if (s.smooth) {
    const sm = s.smooth;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    strokePolyline(ctx, first, last, xc, (i) => yOf(sm[i]));
  }
}

/** Dots on sparse raw series (and a lone point, which has no line). */
function drawDots(ctx: CanvasRenderingContext2D, view: View, s: SeriesView): void {
  const d = s.data;
  if (d.reduced) return;
  const [first, last] = visibleRange(view, s);
  let visibleCount = 0;
  for (let i = first; i <= last; i++) if (Number.isFinite(d.mean[i])) visibleCount++;
  if (visibleCount < 1 || visibleCount > view.plot.width / 10) return;
  ctx.fillStyle = s.color;
  ctx.globalAlpha = s.smooth ? 0.5 : 1;
  ctx.beginPath();
  const r = visibleCount === 1 ? 3.5 : 2.4;
  for (let i = first; i <= last; i++) {
    if (!Number.isFinite(d.mean[i])) continue;
    const py = view.y.map(d.mean[i]);
    if (!Number.isFinite(py)) continue;
    const px = view.x.map((d.x0[i] + d.x1[i]) / 2 - s.offset);
    if (px < view.plot.left - 4 || px > view.plot.left + view.plot.width + 4) continue;
    ctx.moveTo(px + r, py);
    ctx.arc(px, py, r, 0, Math.PI * 2);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
}

/** Indexes [first, last] of the elements inside the x domain plus one neighbour each side. */
function visibleRange(view: View, s: SeriesView): [number, number] {
  const d = s.data;
  const xLo = view.x.domain[0] + s.offset;
  const xHi = view.x.domain[1] + s.offset;
  let first = 0;
  while (first < d.n && d.x1[first] < xLo) first++;
  let last = d.n - 1;
  while (last >= 0 && d.x0[last] > xHi) last--;
  return [Math.max(0, first - 1), Math.min(d.n - 1, last + 1)];
}

/** Stroke a polyline over [first, last], breaking at non-finite coordinates. */
function strokePolyline(
  ctx: CanvasRenderingContext2D, first: number, last: number, px: (i: number) => number, py: (i: number) => number,
): void {
  ctx.beginPath();
  let pen = false;
  for (let i = first; i <= last; i++) {
    const yv = py(i);
    if (!Number.isFinite(yv)) {
      pen = false;
      continue;
    }
    const xv = px(i);
    if (pen) ctx.lineTo(xv, yv);
    else ctx.moveTo(xv, yv);
    pen = true;
  }
  ctx.stroke();
}

/** NaN / ±Infinity as markers on the plot edge: ▲ +Inf at the top, ▼ -Inf and ○ NaN at the bottom. */
function drawSpecials(ctx: CanvasRenderingContext2D, view: View, s: SeriesView, theme: ChartTheme): void {
  const { plot } = view;
  if (s.data.specials.length === 0) return;
  const top = plot.top + 1;
  const bottom = plot.top + plot.height - 1;
  ctx.lineWidth = 1.5;
  for (const sp of s.data.specials) {
    const px = view.x.map(sp.x - s.offset);
    if (px < plot.left - 0.5 || px > plot.left + plot.width + 0.5) continue;
    ctx.beginPath();
    if (Number.isNaN(sp.value)) {
      ctx.arc(px, bottom - 12, 3.5, 0, Math.PI * 2);
      ctx.fillStyle = theme.panel;
      ctx.fill();
      ctx.strokeStyle = s.color;
      ctx.stroke();
      continue;
    }
    const up = sp.value > 0;
    const tip = up ? top : bottom;
    const base = up ? top + 7 : bottom - 7;
    ctx.moveTo(px, tip);
    ctx.lineTo(px - 4.5, base);
    ctx.lineTo(px + 4.5, base);
    ctx.closePath();
    ctx.fillStyle = s.color;
    ctx.fill();
  }
}

export function drawOverlay(
  ctx: CanvasRenderingContext2D, view: View, theme: ChartTheme, dpr: number,
  hover: HoverInfo | null, selection: [number, number] | null,
): void {
  const { plot } = view;
  if (selection) {
    const a = Math.max(plot.left, Math.min(selection[0], selection[1]));
    const b = Math.min(plot.left + plot.width, Math.max(selection[0], selection[1]));
    ctx.fillStyle = withAlpha(theme.accent, 0.14);
    ctx.fillRect(a, plot.top, b - a, plot.height);
    ctx.strokeStyle = withAlpha(theme.accent, 0.8);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(crisp(a, dpr), plot.top);
    ctx.lineTo(crisp(a, dpr), plot.top + plot.height);
    ctx.moveTo(crisp(b, dpr), plot.top);
    ctx.lineTo(crisp(b, dpr), plot.top + plot.height);
    ctx.stroke();
  }
  if (!hover) return;
  const x = crisp(hover.px, dpr);
  ctx.strokeStyle = withAlpha(theme.axis, 0.7);
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(x, plot.top);
  ctx.lineTo(x, plot.top + plot.height);
  ctx.stroke();
  ctx.setLineDash([]);
  for (const row of hover.rows) {
    if (row.py === null || row.py < plot.top - 1 || row.py > plot.top + plot.height + 1) continue;
    ctx.beginPath();
    ctx.arc(row.px, row.py, 4, 0, Math.PI * 2);
    ctx.fillStyle = row.color;
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = theme.panel;
    ctx.stroke();
  }
}
