// Axes of the scatter plot and the parallel coordinates: a linear scale with "nice" ticks for
// numeric values, or evenly spaced categories for text values. Pure functions, no DOM.
import { isNumeric, naturalCompare } from "./diff";

export interface Tick {
  /** Position in pixels along the axis range. */
  pos: number;
  label: string;
}

interface AxisBase {
  range: [number, number];
  ticks: Tick[];
  /** Pixel position of a value; undefined when it cannot be placed (missing, NaN). */
  position: (value: string | number | undefined) => number | undefined;
}

export interface NumericAxis extends AxisBase {
  kind: "numeric";
  domain: [number, number];
}

export interface CategoricalAxis extends AxisBase {
  kind: "categorical";
  categories: string[];
}

export type Axis = NumericAxis | CategoricalAxis;

/** Round away floating point noise (0.30000000000000004 -> 0.3). */
export function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** A step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= 7.5 ? 10 : error >= 3.5 ? 5 : error >= 1.5 ? 2 : 1;
  return factor * power;
}

/**
 * A domain covering [min, max] that starts and ends on a tick, and its ticks.
 * A single value gets a small domain around it.
 */
export function niceTicks(min: number, max: number, count = 5): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { domain: [0, 1], ticks: [0, 1] };
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, count);
  const lo = clean(Math.floor(min / step) * step);
  const hi = clean(Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let i = 0; i <= Math.round((hi - lo) / step) && i <= 50; i++) ticks.push(clean(lo + i * step));
  return { domain: [lo, hi], ticks };
}

/** A short label for a tick value. */
export function formatTick(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-3) return value.toExponential(1).replace("e+", "e");
  return String(clean(value));
}

/** Linear map from `domain` to `range`. */
export function linear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Numbers of the values when every present value is numeric (at least one); else undefined. */
export function numericValues(values: readonly (string | number | undefined)[]): (number | undefined)[] | undefined {
  let present = 0;
  const out: (number | undefined)[] = [];
  for (const value of values) {
    if (value === undefined || value === "") {
      out.push(undefined);
    } else if (typeof value === "number") {
      out.push(Number.isFinite(value) ? value : undefined);
      if (Number.isFinite(value)) present++;
    } else if (isNumeric(value)) {
      out.push(Number(value));
      present++;
    } else {
      return undefined;
    }
  }
  return present > 0 ? out : undefined;
}

/**
 * The axis for `values` over the pixel `range` ([start, end]; end < start for a y axis drawn
 * upwards). Numbers (and numeric texts) get a linear axis; anything else a categorical one.
 * Metrics (numbers) stay numeric even when some are NaN: those are left off. A numeric scale
 * maps its domain `pad` pixels inside the range.
 */
export function buildAxis(
  values: readonly (string | number | undefined)[], range: [number, number], tickCount = 5, pad = 0,
): Axis {
  const numbers = numericValues(values);
  const allNumbers = values.every((v) => v === undefined || typeof v === "number");
  if (numbers || (allNumbers && values.some((v) => v !== undefined))) {
    const finite = (numbers ?? []).filter((n): n is number => n !== undefined);
    const { domain, ticks } = finite.length
      ? niceTicks(Math.min(...finite), Math.max(...finite), tickCount)
      : niceTicks(0, 1, tickCount);
    // `pad` pixels inside each end keep points at the extremes off the axis lines.
    const dir = Math.sign(range[1] - range[0]) || 1;
    const scale = linear(domain, [range[0] + pad * dir, range[1] - pad * dir]);
    return {
      kind: "numeric",
      range,
      domain,
      ticks: ticks.map((t) => ({ pos: scale(t), label: formatTick(t) })),
      position: (value) => {
        const n = typeof value === "number" ? value : value !== undefined && isNumeric(value) ? Number(value) : NaN;
        return Number.isFinite(n) ? scale(n) : undefined;
      },
    };
  }
  const categories = [...new Set(values.filter((v): v is string | number => v !== undefined).map(String))]
    .sort(naturalCompare);
  const [r0, r1] = range;
  const band = (r1 - r0) / Math.max(1, categories.length);
  const index = new Map(categories.map((c, i) => [c, i]));
  const at = (i: number) => r0 + band * (i + 0.5);
  return {
    kind: "categorical",
    range,
    categories,
    ticks: categories.map((c, i) => ({ pos: at(i), label: c })),
    position: (value) => {
      if (value === undefined) return undefined;
      const i = index.get(String(value));
      return i === undefined ? undefined : at(i);
    },
  };
}

/** Shorten a label to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
