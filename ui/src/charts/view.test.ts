import { describe, expect, it } from "vitest";
import { bucketHistory, rawHistory, T0 } from "./fixtures";
import { hoverAt, nearestIndex } from "./hover";
import { fromResponse } from "./series";
import { buildView, padDomain, type ViewInput } from "./view";

const measure = (t: string) => t.length * 6;

function input(over: Partial<ViewInput>): ViewInput {
  return {
    series: [], hidden: new Set(), xAxis: "step", logY: false, smoothing: 0, window: null,
    width: 800, height: 300, measure, ...over,
  };
}

describe("buildView", () => {
  const spiky = fromResponse(bucketHistory("a", 50_000, 1000, 31_337), 1000);
  it("covers the whole series and reports the spike as y max", () => {
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123456", data: spiky }] }));
    expect(v.x.domain).toEqual([0, 49_999]);
    expect(v.yMax).toBe(100);
    expect(v.y.domain[1]).toBeGreaterThan(100);
    expect(v.specials).toEqual({ nan: 1, posInf: 1, negInf: 0 });
    expect(v.plot.left + v.plot.width).toBeLessThanOrEqual(800);
    expect(v.xTicks.length).toBeGreaterThan(2);
  });
  it("leaves hidden series out", () => {
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123456", data: spiky }], hidden: new Set(["a"]) }));
    expect(v.series).toHaveLength(0);
    expect(v.yMax).toBeNull();
  });
  it("restricts the y range to the zoom window", () => {
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123", data: spiky }], window: [0, 1000] }));
    expect(v.yMax).toBeLessThan(1);
  });
  it("drops non-positive values on a log scale and says so", () => {
    const data = fromResponse(rawHistory("a", 10, (i) => i - 3), 100);
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123", data }], logY: true }));
    expect(v.nonPositiveHidden).toBe(true);
    expect(v.y.domain[0]).toBeGreaterThan(0);
    expect(v.yMin).toBe(1);
  });
  it("shifts relative time by the run start", () => {
    const data = fromResponse({ ...rawHistory("a", 10), x_axis: "timestamp", x_range: [T0, T0 + 9000] }, 100);
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123", data, startTime: T0 - 5000 }], xAxis: "relative" }));
    expect(v.x.domain).toEqual([5000, 14000]);
    expect(v.xTicks[0].label).toMatch(/s$/);
  });
  it("smooths what is drawn", () => {
    const data = fromResponse(rawHistory("a", 50, (i) => (i % 2 ? 1 : 0)), 100);
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123", data }], smoothing: 0.9 }));
    const s = v.series[0].smooth!;
    expect(Math.max(...s.slice(10))).toBeLessThan(0.8);
  });
  it("pads flat and empty domains", () => {
    expect(padDomain(5, 5, false)).toEqual([4.5, 5.5]);
    expect(padDomain(Infinity, -Infinity, false)).toEqual([0, 1]);
    expect(padDomain(10, 10, true)).toEqual([5, 20]);
  });
});

describe("hover", () => {
  it("finds the nearest element by x", () => {
    const d = fromResponse(rawHistory("a", 10), 100);
    expect(nearestIndex(d, 3.4)).toBe(3);
    expect(nearestIndex(d, 3.6)).toBe(4);
    expect(nearestIndex(d, -5)).toBe(0);
    expect(nearestIndex(d, 50)).toBe(9);
  });
  it("describes raw points with step and time, buckets with their range", () => {
    const raw = fromResponse(rawHistory("a", 10), 100);
    const v = buildView(input({ series: [{ runId: "a", name: "A", color: "#123", data: raw }] }));
    const info = hoverAt(v, v.x.map(4))!;
    expect(info.title).toBe("step 4");
    expect(info.rows[0].value).toBe("0.4");
    expect(info.subtitle).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(info.rows[0].other).toBeNull();
    const buckets = fromResponse(bucketHistory("b", 50_000, 1000, 31_337), 1000);
    const bv = buildView(input({ series: [{ runId: "b", name: "B", color: "#123", data: buckets }] }));
    const bi = hoverAt(bv, bv.x.map(31_337))!;
    expect(bi.rows[0].value).toMatch(/… 100 \(\d+ points\)$/);
    expect(bi.title).toMatch(/^steps [\d,]+–[\d,]+$/);
    expect(bi.rows[0].extra).toMatch(/^mean /);
    expect(hoverAt(bv, 1)).toBeNull();
  });
});
