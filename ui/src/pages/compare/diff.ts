// Pure logic of the run comparison: which run ids the URL names, which fields (params and
// metrics) the runs have, which rows differ, which values are numbers, min/max of a row.
import { toNumber } from "../../api/http";
import type { Run } from "../../api/types";

/** The most runs one comparison loads. */
export const MAX_COMPARE_RUNS = 100;

/**
 * Run ids of a `runs=` query value: "a,b,c" or MLflow's JSON form '["a","b"]'.
 * Blank items and duplicates are dropped; order is kept.
 */
export function parseIdList(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const text = raw.trim();
  let items: unknown[] = [];
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      items = Array.isArray(parsed) ? parsed : [];
    } catch {
      items = text.slice(1, text.endsWith("]") ? -1 : undefined).split(",");
    }
  } else {
    items = text.split(",");
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string" && typeof item !== "number") continue;
    const id = String(item).trim().replace(/^["']|["']$/g, "");
    if (!id || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** True for a decimal number written as text ("0.01", "-3", "1e-4"); not "", "NaN", "0x1". */
export function isNumeric(value: string | number | undefined | null): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "string") return false;
  return NUMBER.test(value.trim());
}

/** A param (text) or a metric (latest value) of the compared runs. */
export type FieldKind = "param" | "metric";

export interface Field {
  /** "param:<key>" or "metric:<key>": unique, used in URLs and selects. */
  id: string;
  kind: FieldKind;
  key: string;
}

export const fieldId = (kind: FieldKind, key: string): string => `${kind}:${key}`;

export function parseFieldId(id: string): Field | undefined {
  const colon = id.indexOf(":");
  if (colon < 0) return undefined;
  const kind = id.slice(0, colon);
  if (kind !== "param" && kind !== "metric") return undefined;
  return { id, kind, key: id.slice(colon + 1) };
}

/** One compared run, flattened for the tables and plots. */
export interface CompareRun {
  runId: string;
  runName: string;
  experimentId: string;
  color: string;
  params: Record<string, string>;
  /** Latest value of each metric (NaN / ±Infinity kept as numbers). */
  metrics: Record<string, number>;
  run: Run;
}

export function flattenRun(run: Run, color: string): CompareRun {
  const params: Record<string, string> = {};
  for (const p of run.data.params ?? []) params[p.key] = p.value;
  const metrics: Record<string, number> = {};
  for (const m of run.data.metrics ?? []) metrics[m.key] = toNumber(m.value);
  return {
    runId: run.info.run_id,
    runName: run.info.run_name || run.info.run_id.slice(0, 8),
    experimentId: run.info.experiment_id,
    color,
    params,
    metrics,
    run,
  };
}

/** Natural order: "2" before "10", case-insensitive. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorted union of the keys of every run's params or metrics. */
export function allKeys(runs: CompareRun[], kind: FieldKind): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(kind === "param" ? run.params : run.metrics)) keys.add(key);
  return [...keys].sort(naturalCompare);
}

/** Keys every run has (sorted). */
export function commonKeys(runs: CompareRun[], kind: FieldKind): string[] {
  if (runs.length === 0) return [];
  return allKeys(runs, kind).filter((key) =>
    runs.every((run) => key in (kind === "param" ? run.params : run.metrics)));
}

/** The value of a field for a run: a string (param), a number (metric) or undefined. */
export function fieldValue(run: CompareRun, field: Field): string | number | undefined {
  return field.kind === "param" ? run.params[field.key] : run.metrics[field.key];
}

/** True when the values are not all the same (a missing value differs from any value). */
export function valuesDiffer(values: readonly (string | number | undefined)[]): boolean {
  if (values.length < 2) return false;
  const first = values[0];
  return values.some((value) => !Object.is(value, first));
}

export interface DiffRow {
  key: string;
  values: (string | number | undefined)[];
  differs: boolean;
}

/** One row per key (rows = keys, columns = runs) with its "differs" flag. */
export function diffRows(runs: CompareRun[], kind: FieldKind): DiffRow[] {
  return allKeys(runs, kind).map((key) => {
    const values = runs.map((run) => (kind === "param" ? run.params[key] : run.metrics[key]));
    return { key, values, differs: valuesDiffer(values) };
  });
}

/** Indexes of the smallest and largest finite values of a row; undefined when all are equal. */
export function extremes(values: readonly (string | number | undefined)[]): { min: number[]; max: number[] } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const value of values) {
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    lo = Math.min(lo, value);
    hi = Math.max(hi, value);
  }
  if (!(lo < hi)) return undefined;
  const min: number[] = [];
  const max: number[] = [];
  values.forEach((value, index) => {
    if (value === lo) min.push(index);
    if (value === hi) max.push(index);
  });
  return { min, max };
}

/**
 * Default parallel-coordinates axes: params that differ, then metrics; with several runs, only
 * keys at least two runs have (a key of a single run draws no line).
 */
export function defaultDimensions(runs: CompareRun[]): string[] {
  const minimum = Math.min(2, runs.length);
  const shared = (row: DiffRow) => row.values.filter((v) => v !== undefined).length >= minimum;
  const params = diffRows(runs, "param").filter((row) => row.differs && shared(row)).map((row) => fieldId("param", row.key));
  const metrics = diffRows(runs, "metric").filter(shared).map((row) => fieldId("metric", row.key));
  return [...params, ...metrics];
}
