// Test fixtures: ReducedHistory answers as the server sends them (used by the Vitest suites).
import type { ReducedHistory } from "../api/types";
import { minMaxReduce } from "./reduce";

export const T0 = 1_700_000_000_000;

/** A raw answer of `n` points (step first + i, timestamp T0 + 1000 step, value f(i)). */
export function rawHistory(
  runId: string, n: number, f: (i: number) => number | "NaN" | "Infinity" | "-Infinity" = (i) => i * 0.1,
  opts: { axis?: "step" | "timestamp"; first?: number } = {},
): ReducedHistory {
  const axis = opts.axis ?? "step";
  const first = opts.first ?? 0;
  const points: [number, number, number | "NaN" | "Infinity" | "-Infinity"][] = [];
  for (let i = 0; i < n; i++) points.push([first + i, T0 + (first + i) * 1000, f(i)]);
  const x = (p: [number, number, unknown]) => (axis === "step" ? p[0] : p[1]);
  return {
    run_id: runId, metric_key: "m", x_axis: axis, total_points: n, window_points: n,
    x_range: n ? [x(points[0]), x(points[n - 1])] : null, reduced: false, points,
  };
}

/** A bucketed answer of a long flat series with a spike of 100 at `spike`. */
export function bucketHistory(runId: string, n: number, buckets: number, spike = -1, axis: "step" | "timestamp" = "step"): ReducedHistory {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = axis === "step" ? i : T0 + i * 10;
    ys[i] = i === spike ? 100 : Math.sin(i / 500) * 0.5;
  }
  return {
    run_id: runId, metric_key: "signal", x_axis: axis, total_points: n, window_points: n,
    x_range: [xs[0], xs[n - 1]], reduced: true, buckets: minMaxReduce(xs, ys, buckets),
    special: [[axis === "step" ? 10 : T0 + 100, "NaN"], [axis === "step" ? 20 : T0 + 200, "Infinity"]],
  };
}
