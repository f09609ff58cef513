// One run's metric data as a chart draws it: parallel typed arrays of elements that are
// either raw points (x0 = x1, lo = hi = mean = value) or server buckets, plus the
// non-finite values as edge markers. Built from the history-reduced response.
import { toNumber, type JsonDouble } from "../api/http";
import type { ReducedHistory, XAxis } from "../api/types";
import { minMaxReduce } from "./reduce";
import type { ChartXAxis, SeriesSummary } from "./types";

export interface Special {
  /** x in the API axis units. */
  x: number;
  /** NaN, Infinity or -Infinity. */
  value: number;
}

export interface SeriesData {
  runId: string;
  axis: XAxis;
  /** true: elements are buckets (min/max/mean/count); false: raw points. */
  reduced: boolean;
  n: number;
  x0: Float64Array;
  x1: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  mean: Float64Array;
  count: Float64Array;
  /** Raw points only: step and timestamp of each point. */
  step: Float64Array | null;
  time: Float64Array | null;
  specials: Special[];
  totalPoints: number;
  windowPoints: number;
  xRange: [number, number] | null;
}

export function apiAxisFor(mode: ChartXAxis): XAxis {
  return mode === "step" ? "step" : "timestamp";
}

function allocate(n: number) {
  return {
    x0: new Float64Array(n), x1: new Float64Array(n), lo: new Float64Array(n),
    hi: new Float64Array(n), mean: new Float64Array(n), count: new Float64Array(n),
  };
}

function specialsOf(list: [number, JsonDouble][] | undefined): Special[] {
  return (list ?? []).map(([x, v]) => ({ x, value: toNumber(v) })).filter((s) => !Number.isFinite(s.value));
}

/**
 * Convert a response. Raw answers with more than `maxPoints` * 2 points are reduced here to
 * `maxPoints` min/max buckets so drawing stays proportional to the pixel width.
 */
export function fromResponse(r: ReducedHistory, maxPoints: number): SeriesData {
  const axis: XAxis = r.x_axis === "timestamp" ? "timestamp" : "step";
  const base = {
    runId: r.run_id, axis, totalPoints: r.total_points ?? 0, windowPoints: r.window_points ?? 0,
    xRange: r.x_range ?? null,
  };
  const specials = specialsOf(r.special);
  if (r.reduced || !r.points) {
    const buckets = r.buckets ?? [];
    const n = buckets.length;
    const a = allocate(n);
    for (let i = 0; i < n; i++) {
      const b = buckets[i];
      a.x0[i] = b[0]; a.x1[i] = b[1]; a.lo[i] = b[2]; a.hi[i] = b[3]; a.mean[i] = b[4]; a.count[i] = b[5];
    }
    return { ...base, reduced: true, n, ...a, step: null, time: null, specials };
  }
  let points = r.points;
  const xIndex = axis === "step" ? 0 : 1;
  if (!isSorted(points, xIndex)) points = [...points].sort((p, q) => p[xIndex] - q[xIndex] || p[0] - q[0]);
  const seen = new Set(specials.map((s) => `${s.x}:${s.value}`));
  for (const p of points) {
    const v = toNumber(p[2]);
    if (!Number.isFinite(v) && !seen.has(`${p[xIndex]}:${v}`)) {
      seen.add(`${p[xIndex]}:${v}`);
      specials.push({ x: p[xIndex], value: v });
    }
  }
  const n = points.length;
  if (maxPoints > 0 && n > maxPoints * 2) {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = points[i][xIndex];
      ys[i] = toNumber(points[i][2]);
    }
    const buckets = minMaxReduce(xs, ys, maxPoints);
    const reduced = fromResponse({ ...r, reduced: true, points: undefined, buckets, special: [] }, maxPoints);
    return { ...reduced, specials };
  }
  const a = allocate(n);
  const step = new Float64Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [s, t, raw] = points[i];
    const v = toNumber(raw);
    step[i] = s;
    time[i] = t;
    a.x0[i] = a.x1[i] = points[i][xIndex];
    a.lo[i] = a.hi[i] = a.mean[i] = v;
    a.count[i] = 1;
  }
  return { ...base, reduced: false, n, ...a, step, time, specials };
}

function isSorted(points: [number, number, JsonDouble][], xIndex: number): boolean {
  for (let i = 1; i < points.length; i++) if (points[i][xIndex] < points[i - 1][xIndex]) return false;
  return true;
}

/** Finite min/max and counts of a (whole-series) SeriesData. */
export function summarize(data: SeriesData): SeriesSummary {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.n; i++) {
    if (Number.isFinite(data.lo[i]) && data.lo[i] < min) min = data.lo[i];
    if (Number.isFinite(data.hi[i]) && data.hi[i] > max) max = data.hi[i];
  }
  return {
    runId: data.runId,
    totalPoints: data.totalPoints,
    min: Number.isFinite(min) ? min : null,
    max: Number.isFinite(max) ? max : null,
    nonFinite: data.specials.length,
  };
}
