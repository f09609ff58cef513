import { describe, expect, it } from "vitest";
import { lttb, minMaxReduce } from "./reduce";

function series(n: number, spikeAt = -1) {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i;
    ys[i] = i === spikeAt ? 100 : Math.sin(i / 500) * 0.5;
  }
  return { xs, ys };
}

describe("minMaxReduce", () => {
  it("keeps a one-point spike as the max of its bucket", () => {
    const { xs, ys } = series(50_000, 31_337);
    const buckets = minMaxReduce(xs, ys, 1000);
    expect(buckets.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...buckets.map((b) => b[3]))).toBe(100);
    const spike = buckets.find((b) => b[3] === 100)!;
    expect(spike[0]).toBeLessThanOrEqual(31_337);
    expect(spike[1]).toBeGreaterThanOrEqual(31_337);
  });
  it("covers every point exactly once, first and last x included", () => {
    const { xs, ys } = series(10_001);
    const buckets = minMaxReduce(xs, ys, 300);
    expect(buckets.reduce((s, b) => s + b[5], 0)).toBe(10_001);
    expect(buckets[0][0]).toBe(0);
    expect(buckets[buckets.length - 1][1]).toBe(10_000);
  });
  it("computes min, max and mean per bucket", () => {
    const buckets = minMaxReduce([0, 1, 2, 3], [1, 3, -2, 6], 2);
    expect(buckets).toEqual([[0, 1, 1, 3, 2, 2], [2, 3, -2, 6, 2, 2]]);
  });
  it("ignores NaN and infinities", () => {
    const buckets = minMaxReduce([0, 1, 2, 3], [1, NaN, Infinity, 2], 1);
    expect(buckets).toEqual([[0, 3, 1, 2, 1.5, 2]]);
  });
  it("leaves empty ranges out and handles empty input", () => {
    expect(minMaxReduce([0, 1000], [1, 2], 10)).toHaveLength(2);
    expect(minMaxReduce([], [], 10)).toEqual([]);
  });
});

describe("lttb", () => {
  it("keeps the first and last points and the spike", () => {
    const { xs, ys } = series(50_000, 31_337);
    const picked = lttb(xs, ys, 500);
    expect(picked).toHaveLength(500);
    expect(picked[0]).toBe(0);
    expect(picked[picked.length - 1]).toBe(49_999);
    expect(picked).toContain(31_337);
    for (let i = 1; i < picked.length; i++) expect(picked[i]).toBeGreaterThan(picked[i - 1]);
  });
  it("returns every finite point when under the threshold, skipping NaN", () => {
    expect(lttb([0, 1, 2, 3], [1, NaN, 2, 3], 10)).toEqual([0, 2, 3]);
    expect(lttb([0, 1, 2], [NaN, 5, NaN], 2)).toEqual([1]);
  });
});
