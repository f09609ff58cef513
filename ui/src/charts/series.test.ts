import { describe, expect, it } from "vitest";
import { bucketHistory, rawHistory } from "./fixtures";
import { fromResponse, summarize } from "./series";

describe("fromResponse", () => {
  it("keeps raw points with both axes and moves non-finite values to markers", () => {
    const d = fromResponse(rawHistory("r", 5, (i) => (i === 2 ? "NaN" : i === 3 ? "-Infinity" : i)), 100);
    expect(d.reduced).toBe(false);
    expect(d.n).toBe(5);
    expect(Array.from(d.step!)).toEqual([0, 1, 2, 3, 4]);
    expect(d.mean[2]).toBeNaN();
    expect(d.specials).toEqual([{ x: 2, value: NaN }, { x: 3, value: -Infinity }]);
    expect(summarize(d)).toMatchObject({ min: 0, max: 4, nonFinite: 2, totalPoints: 5 });
  });
  it("reads buckets and specials", () => {
    const d = fromResponse(bucketHistory("r", 50_000, 1000, 31_337), 1000);
    expect(d.reduced).toBe(true);
    expect(Math.max(...d.hi)).toBe(100);
    expect(d.specials.map((s) => s.value)).toEqual([NaN, Infinity]);
    expect(summarize(d).max).toBe(100);
  });
  it("reduces too many raw points on the client, keeping the spike", () => {
    const d = fromResponse(rawHistory("r", 10_000, (i) => (i === 7777 ? 100 : 0)), 200);
    expect(d.reduced).toBe(true);
    expect(d.n).toBeLessThanOrEqual(200);
    expect(Math.max(...d.hi)).toBe(100);
  });
  it("sorts unsorted raw points by x", () => {
    const r = rawHistory("r", 3);
    r.points!.reverse();
    expect(Array.from(fromResponse(r, 10).x0)).toEqual([0, 1, 2]);
  });
});
