import { describe, expect, it } from "vitest";
import { clampWeight, ema } from "./smoothing";

describe("ema", () => {
  it("is the identity without smoothing", () => {
    expect(Array.from(ema([1, 2, 3], 0))).toEqual([1, 2, 3]);
  });
  it("is debiased: a constant series stays constant from the first point", () => {
    const out = ema([5, 5, 5, 5], 0.9);
    for (const v of out) expect(v).toBeCloseTo(5);
  });
  it("smooths a step change gradually", () => {
    const out = ema([0, 0, 0, 10, 10, 10], 0.5);
    expect(out[3]).toBeGreaterThan(0);
    expect(out[3]).toBeLessThan(10);
    expect(out[5]).toBeGreaterThan(out[4]);
  });
  it("skips non-finite values without poisoning the average", () => {
    const out = ema([1, NaN, 1, Infinity, 1], 0.6);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBeNaN();
    expect(out[4]).toBeCloseTo(1);
  });
  it("clamps the weight to 0..0.99", () => {
    expect(clampWeight(2)).toBe(0.99);
    expect(clampWeight(-1)).toBe(0);
    expect(clampWeight(NaN)).toBe(0);
  });
});
