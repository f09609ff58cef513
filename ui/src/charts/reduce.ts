// Client-side reduction of a long series to about one element per pixel. The server already
// reduces (ajax-api/2.0/mltrail/metrics/history-reduced); this is the fallback when it
// answers with more raw points than the plot has pixels, and a reference for tests.
//
// min/max buckets keep every extreme (a one-point spike stays visible); LTTB keeps the
// visual shape with a fixed number of real points.

/** [x_first, x_last, min, max, mean, count] over the finite values of one x range. */
export type Bucket = [number, number, number, number, number, number];

/**
 * Split [lo, hi] (default: the x extent) into `buckets` equal x ranges and summarize the
 * finite points of each; empty ranges are left out. `xs` must be sorted ascending.
 */
export function minMaxReduce(
  xs: ArrayLike<number>, ys: ArrayLike<number>, buckets: number, range?: [number, number],
): Bucket[] {
  const n = Math.min(xs.length, ys.length);
  const out: Bucket[] = [];
  if (n === 0 || buckets < 1) return out;
  const lo = range ? range[0] : xs[0];
  const hi = range ? range[1] : xs[n - 1];
  const width = (hi - lo) / buckets;
  let current = -1;
  let bucket: Bucket | null = null;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(y) || x < lo || x > hi) continue;
    const index = width > 0 ? Math.min(buckets - 1, Math.floor((x - lo) / width)) : 0;
    if (index !== current || bucket === null) {
      if (bucket) {
        bucket[4] = sum / bucket[5];
        out.push(bucket);
      }
      current = index;
      bucket = [x, x, y, y, 0, 0];
      sum = 0;
    }
    bucket[1] = x;
    if (y < bucket[2]) bucket[2] = y;
    if (y > bucket[3]) bucket[3] = y;
    bucket[5] += 1;
    sum += y;
  }
  if (bucket) {
    bucket[4] = sum / bucket[5];
    out.push(bucket);
  }
  return out;
}

/**
 * Largest-Triangle-Three-Buckets: indexes of at most `threshold` points (first and last
 * finite points always kept) that preserve the visual shape. Non-finite values are skipped.
 */
export function lttb(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const finite: number[] = [];
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) if (Number.isFinite(ys[i]) && Number.isFinite(xs[i])) finite.push(i);
  const m = finite.length;
  if (threshold >= m || m <= 2) return finite;
  if (threshold <= 2) return [finite[0], finite[m - 1]];
  const picked: number[] = [finite[0]];
  const every = (m - 2) / (threshold - 2);
  let a = 0; // position in `finite` of the last picked point
  for (let b = 0; b < threshold - 2; b++) {
    // Average of the next bucket (the third point of the triangle).
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(m, Math.floor((b + 2) * every) + 1);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[finite[j]];
      avgY += ys[finite[j]];
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;
    // The point of this bucket making the largest triangle with the last pick and the average.
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const ax = xs[finite[a]];
    const ay = ys[finite[a]];
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (ys[finite[j]] - ay) - (ax - xs[finite[j]]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    picked.push(finite[best]);
    a = best;
  }
  picked.push(finite[m - 1]);
  return picked;
}
