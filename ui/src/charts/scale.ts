// Scales (data <-> pixels), "nice" ticks and tick labels for the metric charts: linear and
// log value scales, integer step axes, wall-clock time axes and duration (relative) axes.

export interface Scale {
  kind: "linear" | "log";
  domain: [number, number];
  range: [number, number];
  /** Data value -> pixel (log: non-positive values map to NaN). */
  map(value: number): number;
  /** Pixel -> data value. */
  invert(pixel: number): number;
}

export interface Tick {
  value: number;
  label: string;
}

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const k = (r1 - r0) / span;
  return {
    kind: "linear",
    domain,
    range,
    map: (value) => r0 + (value - d0) * k,
    invert: (pixel) => d0 + (pixel - r0) / k,
  };
}

export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const [r0, r1] = range;
  const k = (r1 - r0) / (l1 - l0 || 1);
  return {
    kind: "log",
    domain,
    range,
    map: (value) => (value > 0 ? r0 + (Math.log10(value) - l0) * k : NaN),
    invert: (pixel) => 10 ** (l0 + (pixel - r0) / k),
  };
}

/** The 1/2/5 x 10^k step that splits `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Multiples of a nice step inside [min, max]. */
export function linearTicks(min: number, max: number, maxTicks: number, integer = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  let step = niceStep(max - min, maxTicks);
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last && ticks.length < 1000; i++) {
    // Multiply (not accumulate) so 0.1 * 3 stays 0.30000000000000004 -> rounded below.
    ticks.push(roundTo(i * step, step));
  }
  return ticks;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return decimals > 0 && decimals < 20 ? Number(value.toFixed(decimals)) : value;
}

/** Decades (and 2/5 multiples when few decades) inside a positive [min, max]. */
export function logTicks(min: number, max: number, maxTicks: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const decades = hi - lo;
  const ticks: number[] = [];
  if (decades <= 2) {
    for (let e = lo; e <= hi; e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(Number(v.toPrecision(12)));
      }
    }
    if (ticks.length >= 2) return ticks;
    return linearTicks(min, max, maxTicks);
  }
  const every = Math.max(1, Math.ceil(decades / Math.max(1, maxTicks)));
  for (let e = Math.ceil(lo / every) * every; e <= hi; e += every) {
    const v = 10 ** e;
    if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

// ---- number labels -----------------------------------------------------------------------

const SUFFIXES: [number, string][] = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];

/**
 * A tick label for `value` on an axis whose ticks are `step` apart: 20k / 1.5M when the
 * ticks are multiples of 1000, 31,250 otherwise, 2e-5 for tiny steps.
 */
export function formatTick(value: number, step: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return formatValue(value);
  const abs = Math.abs(value);
  if (abs >= 1000 && step >= 1000) {
    for (const [size, suffix] of SUFFIXES) {
      if (abs >= size) return trimZeros((value / size).toFixed(Math.min(3, stepDecimals(step / size)))) + suffix;
    }
  }
  if (step > 0 && step < 1e-4) return compactExp(value, step);
  const decimals = step > 0 ? stepDecimals(step) : 6;
  if (abs >= 1000) return value.toLocaleString("en-US", { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
  return trimZeros(value.toFixed(decimals));
}

/** Decimals needed to write multiples of `step` exactly (0.25 -> 2, 5 -> 0), at most 12. */
function stepDecimals(step: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

function compactExp(value: number, step: number): string {
  const digits = Math.max(0, Math.floor(Math.log10(Math.abs(value)) + 1e-9) - Math.floor(Math.log10(step) + 1e-9));
  return value.toExponential(Math.min(6, digits)).replace(/\.?0+e/, "e").replace("e+", "e");
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A log-axis label: 0.001, 0.01 ... 1000, then 1e4, 1e-5. */
export function formatLogTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e4 || (abs > 0 && abs < 1e-3)) return value.toExponential(0).replace("e+", "e");
  return String(Number(value.toPrecision(6)));
}

/** A data value in tooltips and tables: up to 6 significant digits, non-finite spelled out. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Infinity";
  if (value === -Infinity) return "-Infinity";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(4).replace("e+", "e");
  return String(Number(value.toPrecision(6)));
}

/** An integer step with thousands separators: 31,337. */
export function formatStep(step: number): string {
  return Math.round(step).toLocaleString("en-US");
}

// ---- time axes ----------------------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SUB_SECOND = [1, 2, 5, 10, 20, 50, 100, 200, 500];
const CLOCK = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR];
const DAYS = [1, 2, 7, 14];
const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Local wall-clock ticks (ms since epoch) with labels suited to the tick interval. */
export function timeTicks(min: number, max: number, maxTicks: number): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max === min) return [{ value: min, label: formatClock(min, SECOND) }];
  const span = max - min;
  const limit = Math.max(1, maxTicks);
  for (const interval of [...SUB_SECOND, ...CLOCK]) {
    if (span / interval <= limit) return clockTicks(min, max, interval);
  }
  for (const days of DAYS) {
    if (span / (days * DAY) <= limit) return dayTicks(min, max, days);
  }
  for (const months of [1, 3, 6, 12, 24, 60, 120]) {
    if (span / (months * 30 * DAY) <= limit) return monthTicks(min, max, months);
  }
  return [{ value: min, label: formatDate(min) }];
}

function clockTicks(min: number, max: number, interval: number): Tick[] {
  const offset = -new Date(min).getTimezoneOffset() * MINUTE;
  const ticks: Tick[] = [];
  const multiDay = localDay(min) !== localDay(max);
  for (let t = Math.ceil((min + offset) / interval) * interval - offset; t <= max; t += interval) {
    const midnight = interval >= MINUTE && isMidnight(t);
    ticks.push({ value: t, label: midnight && multiDay ? formatDay(t) : formatClock(t, interval) });
  }
  return ticks;
}

function dayTicks(min: number, max: number, days: number): Tick[] {
  const d = new Date(min);
  d.setHours(0, 0, 0, 0);
  if (d.getTime() < min) d.setDate(d.getDate() + 1);
  if (days === 7 || days === 14) while (d.getDay() !== 1) d.setDate(d.getDate() + 1);
  const ticks: Tick[] = [];
  while (d.getTime() <= max && ticks.length < 500) {
    ticks.push({ value: d.getTime(), label: formatDay(d.getTime()) });
    d.setDate(d.getDate() + days);
  }
  return ticks;
}

function monthTicks(min: number, max: number, months: number): Tick[] {
  const d = new Date(min);
  d.setHours(0, 0, 0, 0);
  d.setDate(1);
  if (d.getTime() < min) d.setMonth(d.getMonth() + 1);
  while ((d.getFullYear() * 12 + d.getMonth()) % months !== 0) d.setMonth(d.getMonth() + 1);
  const ticks: Tick[] = [];
  while (d.getTime() <= max && ticks.length < 500) {
    const label = months >= 12 ? String(d.getFullYear()) : `${MONTHS_SHORT[d.getMonth()]} ${d.getFullYear()}`;
    ticks.push({ value: d.getTime(), label });
    d.setMonth(d.getMonth() + months);
  }
  return ticks;
}

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function isMidnight(ms: number): boolean {
  const d = new Date(ms);
  return d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0 && d.getMilliseconds() === 0;
}

/** HH:MM, HH:MM:SS or HH:MM:SS.mmm depending on the tick interval. */
export function formatClock(ms: number, interval: number): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (interval >= MINUTE) return hm;
  const hms = `${hm}:${pad(d.getSeconds())}`;
  return interval >= SECOND ? hms : `${hms}.${pad(d.getMilliseconds(), 3)}`;
}

function formatDay(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS_SHORT[d.getMonth()]} ${d.getDate()}`;
}

/** YYYY-MM-DD in local time. */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** YYYY-MM-DD HH:MM:SS(.mmm) in local time, for tooltips. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const millis = d.getMilliseconds() ? `.${pad(d.getMilliseconds(), 3)}` : "";
  return `${formatDate(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${millis}`;
}

// ---- durations (relative time axis) -------------------------------------------------------

const DURATION_STEPS = [...SUB_SECOND, ...CLOCK, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY];

/** Ticks at round durations (ms) inside [min, max]. */
export function durationTicks(min: number, max: number, maxTicks: number): Tick[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max === min) return [{ value: min, label: formatDuration(min) }];
  const span = max - min;
  const interval = DURATION_STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? niceStep(span, maxTicks);
  const ticks: Tick[] = [];
  for (let i = Math.ceil(min / interval); i * interval <= max && ticks.length < 1000; i++) {
    ticks.push({ value: i * interval, label: formatDuration(i * interval, interval) });
  }
  return ticks;
}

/**
 * A duration: 0, 250ms, 1.5s, 45s, 12m, 12m 30s, 3h 15m, 2d 6h. With `precision` (ms) the
 * parts go down to that unit (3h 0m 5s for a 5 s precision, 1.25s for 10 ms); without it at
 * most two parts are shown.
 */
export function formatDuration(ms: number, precision = 0): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `−${formatDuration(-ms, precision)}`;
  if (ms === 0) return "0";
  if (ms < SECOND && (precision <= 0 || precision < SECOND)) return `${trimZeros(ms.toFixed(ms < 10 ? 1 : 0))}ms`;
  const parts: [number, string][] = [[DAY, "d"], [HOUR, "h"], [MINUTE, "m"], [SECOND, "s"]];
  const secondDecimals = precision > 0 && precision < SECOND ? Math.min(3, Math.ceil(-Math.log10(precision / SECOND) - 1e-9)) : 0;
  if (precision <= 0) {
    if (ms < MINUTE) return `${trimZeros((ms / SECOND).toFixed(ms % SECOND ? 1 : 0))}s`;
    const out: string[] = [];
    let rest = Math.round(ms / SECOND) * SECOND;
    for (const [size, unit] of parts) {
      if (rest >= size) {
        out.push(`${Math.floor(rest / size)}${unit}`);
        rest %= size;
      }
      if (out.length === 2 || (out.length === 1 && rest === 0)) break;
    }
    return out.join(" ");
  }
  const smallest = parts.find(([size]) => precision >= size)?.[0] ?? SECOND;
  const unitMs = smallest === SECOND && secondDecimals > 0 ? 10 ** -secondDecimals * SECOND : smallest;
  let rest = Math.round(ms / unitMs) * unitMs;
  const out: string[] = [];
  for (const [size, unit] of parts) {
    if (size < smallest) break;
    if (size === SECOND && secondDecimals > 0) {
      const seconds = rest / SECOND;
      if (seconds > 0 || out.length === 0) out.push(`${trimZeros(seconds.toFixed(secondDecimals))}s`);
      rest = 0;
      break;
    }
    const whole = Math.floor(rest / size + 1e-9);
    if (whole > 0 || out.length > 0) out.push(`${whole}${unit}`);
    rest -= whole * size;
  }
  while (out.length > 1 && /^0[a-z]+$/.test(out[out.length - 1])) out.pop();
  return out.join(" ") || "0";
}
