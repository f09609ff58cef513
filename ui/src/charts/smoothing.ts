// Exponential moving average with debiasing, applied to what a chart draws (raw values or
// bucket means). Debiasing divides by (1 - w^n) so the curve does not start near zero.

/** Clamp a smoothing weight to 0..0.99 (NaN -> 0). */
export function clampWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(0.99, weight);
}

/**
 * EMA of `values` with weight `weight` (0: none .. 0.99: heavy). Non-finite values give NaN at
 * their index and do not disturb the average; the output has the input's length.
 */
export function ema(values: ArrayLike<number>, weight: number): Float64Array {
  const w = clampWeight(weight);
  const out = new Float64Array(values.length);
  let last = 0;
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    if (w === 0) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    seen++;
    out[i] = last / (1 - w ** seen);
  }
  return out;
}
