import { describe, expect, it } from "vitest";
import { buildAxis, formatTick, niceStep, niceTicks, numericValues } from "./axes";

describe("nice ticks", () => {
  it("picks 1-2-5 steps", () => {
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(0.029, 5)).toBe(0.005);
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(7, 5)).toBe(1);
  });
  it("covers the data with a domain on ticks", () => {
    expect(niceTicks(0.001, 0.03, 5)).toEqual({ domain: [0, 0.03], ticks: [0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03] });
    expect(niceTicks(3, 97, 5)).toEqual({ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] });
    const single = niceTicks(5, 5);
    expect(single.domain[0]).toBeLessThan(5);
    expect(single.domain[1]).toBeGreaterThan(5);
    expect(niceTicks(0, 0).domain).toEqual([-1, 1]);
    expect(niceTicks(NaN, 1).domain).toEqual([0, 1]);
  });
  it("formats ticks", () => {
    expect(formatTick(0.30000000000000004)).toBe("0.3");
    expect(formatTick(0.0001)).toBe("1.0e-4");
    expect(formatTick(2_000_000)).toBe("2.0e6");
  });
});

describe("buildAxis", () => {
  it("is numeric for numbers and numeric text", () => {
    const axis = buildAxis(["0.001", "0.01", undefined, "0.03"], [0, 300]);
    expect(axis.kind).toBe("numeric");
    expect(axis.position("0")).toBe(0);
    expect(axis.position("0.03")).toBe(300);
    expect(axis.position(undefined)).toBeUndefined();
    expect(axis.ticks[0]).toEqual({ pos: 0, label: "0" });
  });
  it("maps a y range upwards", () => {
    const axis = buildAxis([0, 10], [200, 0]);
    expect(axis.position(0)).toBe(200);
    expect(axis.position(10)).toBe(0);
  });
  it("keeps a numeric domain `pad` pixels inside the range", () => {
    const up = buildAxis([0, 10], [200, 0], 5, 10);
    expect(up.position(0)).toBe(190);
    expect(up.position(10)).toBe(10);
    expect(up.range).toEqual([200, 0]);
    const right = buildAxis([0, 10], [0, 100], 5, 10);
    expect(right.position(0)).toBe(10);
    expect(right.ticks.at(-1)?.pos).toBe(90);
  });
  it("keeps metrics numeric when some are NaN, and leaves those off", () => {
    const axis = buildAxis([NaN, 1, 2], [0, 100]);
    expect(axis.kind).toBe("numeric");
    expect(axis.position(NaN)).toBeUndefined();
    expect(buildAxis([NaN, NaN], [0, 100]).kind).toBe("numeric");
  });
  it("is categorical for text, evenly spaced in natural order", () => {
    const axis = buildAxis(["sgd", "adam", "adam", "v10", "v2"], [0, 400]);
    expect(axis.kind).toBe("categorical");
    if (axis.kind !== "categorical") return;
    expect(axis.categories).toEqual(["adam", "sgd", "v2", "v10"]);
    expect(axis.ticks.map((t) => t.pos)).toEqual([50, 150, 250, 350]);
    expect(axis.position("sgd")).toBe(150);
    expect(axis.position("other")).toBeUndefined();
  });
  it("detects numeric columns", () => {
    expect(numericValues(["1", undefined, 2])).toEqual([1, undefined, 2]);
    expect(numericValues(["1", "x"])).toBeUndefined();
    expect(numericValues([undefined])).toBeUndefined();
  });
});
