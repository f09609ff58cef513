// The geometry of one chart frame, computed without touching the canvas: plot rectangle,
// x/y scales and ticks, the visible series with display x values, smoothing, notes.
import { formatDate, durationTicks, formatLogTick, formatTick, linearScale, linearTicks, logScale,
  logTicks, niceStep, timeTicks, type Scale, type Tick } from "./scale";
import type { SeriesData, Special } from "./series";
import { ema } from "./smoothing";
import type { ChartXAxis } from "./types";
import { displayOffset } from "./zoom";

export interface ViewSeriesInput {
  runId: string;
  name: string;
  color: string;
  startTime?: number;
  data: SeriesData | undefined;
}

export interface ViewInput {
  series: ViewSeriesInput[];
  hidden: ReadonlySet<string>;
  xAxis: ChartXAxis;
  logY: boolean;
  smoothing: number;
  /** Zoom window in display units, null for the whole series. */
  window: [number, number] | null;
  width: number;
  height: number;
  /** Text width in CSS px at the tick font (canvas measureText; estimated in tests). */
  measure: (text: string) => number;
}

export interface SeriesView {
  runId: string;
  name: string;
  color: string;
  data: SeriesData;
  /** display x = API x - offset. */
  offset: number;
  /** EMA of the drawn values (null without smoothing). */
  smooth: Float64Array | null;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface View {
  width: number;
  height: number;
  plot: Rect;
  x: Scale;
  y: Scale;
  xTicks: Tick[];
  yTicks: Tick[];
  /** Caption of the x axis ("Step", "Wall time · 2023-11-14", "Time since run start"). */
  xLabel: string;
  xAxis: ChartXAxis;
  series: SeriesView[];
  /** Largest / smallest finite value drawn (null when nothing is drawn). */
  yMax: number | null;
  yMin: number | null;
  /** Finite elements drawn over all visible series. */
  drawnElements: number;
  nonPositiveHidden: boolean;
  specials: { nan: number; posInf: number; negInf: number };
}

export const PAD = { top: 12, right: 18, bottom: 26, minLeft: 34 };

export function buildView(input: ViewInput): View {
  const visible: SeriesView[] = [];
  for (const s of input.series) {
    if (!s.data || input.hidden.has(s.runId)) continue;
    const offset = displayOffset(input.xAxis, s.startTime, s.data.xRange);
    const smooth = input.smoothing > 0 ? ema(s.data.mean, input.smoothing) : null;
    visible.push({ runId: s.runId, name: s.name, color: s.color, data: s.data, offset, smooth });
  }
  const xDomain = input.window ?? dataXDomain(visible, input.xAxis);
  const { yDomain, yMin, yMax, drawn, nonPositive } = valueDomain(visible, xDomain, input.logY);
  const plotHeight = Math.max(20, input.height - PAD.top - PAD.bottom);
  const yTickCount = Math.max(2, Math.floor(plotHeight / 42));
  let yScale = input.logY ? logScale(yDomain, [PAD.top + plotHeight, PAD.top]) : linearScale(yDomain, [PAD.top + plotHeight, PAD.top]);
  const yTicks = input.logY
    ? logTicks(yDomain[0], yDomain[1], yTickCount).map((v) => ({ value: v, label: formatLogTick(v) }))
    : linearTickObjects(yDomain, yTickCount);
  const labelWidth = Math.max(0, ...yTicks.map((t) => input.measure(t.label)));
  const left = Math.max(PAD.minLeft, Math.ceil(labelWidth) + 12);
  const plot: Rect = { left, top: PAD.top, width: Math.max(20, input.width - left - PAD.right), height: plotHeight };
  yScale = input.logY ? logScale(yDomain, [plot.top + plot.height, plot.top]) : linearScale(yDomain, [plot.top + plot.height, plot.top]);
  const xScale = linearScale(xDomain, [plot.left, plot.left + plot.width]);
  const xTicks = xTickObjects(input.xAxis, xDomain, plot.width, input.measure);
  const specials = { nan: 0, posInf: 0, negInf: 0 };
  for (const s of visible) {
    for (const sp of s.data.specials) {
      if (Number.isNaN(sp.value)) specials.nan++;
      else if (sp.value > 0) specials.posInf++;
      else specials.negInf++;
    }
  }
  return {
    width: input.width, height: input.height, plot, x: xScale, y: yScale, xTicks, yTicks,
    xLabel: xLabel(input.xAxis, xDomain), xAxis: input.xAxis, series: visible,
    yMax, yMin, drawnElements: drawn, nonPositiveHidden: nonPositive, specials,
  };
}

function dataXDomain(series: SeriesView[], mode: ChartXAxis): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (x: number) => {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  };
  for (const s of series) {
    const d = s.data;
    if (d.xRange) {
      take(d.xRange[0] - s.offset);
      take(d.xRange[1] - s.offset);
    } else if (d.n > 0) {
      take(d.x0[0] - s.offset);
      take(d.x1[d.n - 1] - s.offset);
    }
    for (const sp of d.specials) take(sp.x - s.offset);
  }
  if (!Number.isFinite(lo)) return mode === "step" ? [0, 10] : [0, 10_000];
  if (hi === lo) {
    const pad = mode === "step" ? 1 : 1000;
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

function valueDomain(series: SeriesView[], xDomain: [number, number], log: boolean) {
  let min = Infinity;
  let max = -Infinity;
  let drawn = 0;
  let nonPositive = false;
  for (const s of series) {
    const d = s.data;
    const lo = xDomain[0] + s.offset;
    const hi = xDomain[1] + s.offset;
    for (let i = 0; i < d.n; i++) {
      if (d.x1[i] < lo || d.x0[i] > hi) continue;
      let a = d.lo[i];
      const b = d.hi[i];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      if (log) {
        if (a <= 0) {
          nonPositive = true;
          if (b <= 0) continue;
          a = d.mean[i] > 0 ? d.mean[i] : b;
        }
      }
      drawn++;
      if (a < min) min = a;
      if (b > max) max = b;
    }
  }
  const yMin = drawn ? min : null;
  const yMax = drawn ? max : null;
  return { yDomain: padDomain(min, max, log), yMin, yMax, drawn, nonPositive };
}

/** Pad a value range by 5% (log: 5% of the decades); a flat range gets some room. */
export function padDomain(min: number, max: number, log: boolean): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return log ? [1, 10] : [0, 1];
  if (log) {
    if (min === max) return [min / 2, max * 2];
    const l0 = Math.log10(min);
    const l1 = Math.log10(max);
    const pad = (l1 - l0) * 0.05;
    return [10 ** (l0 - pad), 10 ** (l1 + pad)];
  }
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return [min - pad, max + pad];
  }
  const pad = (max - min) * 0.05;
  return [min - pad, max + pad];
}

/** Nice ticks, asking for more when the first try leaves fewer than 3 inside the domain. */
function linearTickObjects(domain: [number, number], count: number): Tick[] {
  let want = count;
  let values = linearTicks(domain[0], domain[1], want);
  while (values.length < 3 && want < count * 3) {
    want++;
    values = linearTicks(domain[0], domain[1], want);
  }
  const step = niceStep(domain[1] - domain[0], want);
  return values.map((v) => ({ value: v, label: formatTick(v, step) }));
}

function xTickObjects(mode: ChartXAxis, domain: [number, number], width: number, measure: (t: string) => number): Tick[] {
  const sample = mode === "step" ? "00,000" : mode === "time" ? "00:00:00" : "00m 00s";
  const spacing = Math.max(80, measure(sample) + 40);
  const count = Math.max(2, Math.floor(width / spacing));
  if (mode === "time") return timeTicks(domain[0], domain[1], count);
  if (mode === "relative") return durationTicks(domain[0], domain[1], count);
  const step = Math.max(1, niceStep(domain[1] - domain[0], count));
  return linearTicks(domain[0], domain[1], count, true).map((v) => ({ value: v, label: formatTick(v, step) }));
}

function xLabel(mode: ChartXAxis, domain: [number, number]): string {
  if (mode === "step") return "Step";
  if (mode === "relative") return "Time since run start";
  const first = formatDate(domain[0]);
  const last = formatDate(domain[1]);
  return first === last ? `Wall time · ${first}` : `Wall time · ${first} – ${last}`;
}

/** Display x of a special marker of a series. */
export function specialX(s: SeriesView, sp: Special): number {
  return sp.x - s.offset;
}
