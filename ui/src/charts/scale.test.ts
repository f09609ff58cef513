import { describe, expect, it } from "vitest";
import {
  durationTicks, formatDuration, formatLogTick, formatTick, formatValue, linearScale, linearTicks, logScale,
  logTicks, niceStep, timeTicks,
} from "./scale";

describe("scales", () => {
  it("maps linearly both ways", () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s.map(5)).toBe(150);
    expect(s.invert(175)).toBe(7.5);
  });
  it("maps decades evenly on a log scale and leaves out non-positive values", () => {
    const s = logScale([1, 1000], [0, 300]);
    expect(s.map(10)).toBeCloseTo(100);
    expect(s.map(100)).toBeCloseTo(200);
    expect(s.invert(100)).toBeCloseTo(10);
    expect(s.map(0)).toBeNaN();
    expect(s.map(-1)).toBeNaN();
  });
  it("handles a flat domain without dividing by zero", () => {
    const s = linearScale([3, 3], [0, 100]);
    expect(Number.isFinite(s.map(3))).toBe(true);
  });
});

describe("nice ticks", () => {
  it("picks 1/2/5 steps", () => {
    expect(niceStep(10, 5)).toBe(2);
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(50000, 6)).toBe(10000);
  });
  it("puts ticks on round values inside the range", () => {
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(-0.53, 0.52, 4)).toEqual([-0.5, 0, 0.5]);
    expect(linearTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
  });
  it("keeps integer ticks for steps", () => {
    expect(linearTicks(0, 3, 10, true)).toEqual([0, 1, 2, 3]);
  });
  it("gives decades on a log axis, with 2 and 5 when the range is short", () => {
    expect(logTicks(0.001, 1000, 10)).toEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000]);
    expect(logTicks(1, 60, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(1e-9, 1e9, 5).length).toBeLessThanOrEqual(6);
    expect(logTicks(-1, 10, 5)).toEqual([]);
  });
});

describe("labels", () => {
  it("formats ticks with the precision of their step", () => {
    expect(formatTick(0.2, 0.2)).toBe("0.2");
    expect(formatTick(0.25, 0.05)).toBe("0.25");
    expect(formatTick(20000, 10000)).toBe("20k");
    expect(formatTick(12500, 2500)).toBe("12.5k");
    expect(formatTick(5000, 5000)).toBe("5k");
    expect(formatTick(30100, 100)).toBe("30,100");
    expect(formatTick(1234.5, 0.5)).toBe("1,234.5");
    expect(formatTick(3_000_000, 1_000_000)).toBe("3M");
    expect(formatTick(0.00002, 0.00001)).toBe("2e-5");
    expect(formatTick(0, 5)).toBe("0");
  });
  it("formats log ticks and values", () => {
    expect(formatLogTick(100)).toBe("100");
    expect(formatLogTick(1e6)).toBe("1e6");
    expect(formatLogTick(1e-5)).toBe("1e-5");
    expect(formatValue(NaN)).toBe("NaN");
    expect(formatValue(Infinity)).toBe("+Infinity");
    expect(formatValue(0.123456789)).toBe("0.123457");
    expect(formatValue(100)).toBe("100");
  });
  it("formats durations", () => {
    expect(formatDuration(0)).toBe("0");
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(12 * 60_000)).toBe("12m");
    expect(formatDuration(12 * 60_000 + 30_000)).toBe("12m 30s");
    expect(formatDuration(3 * 3_600_000 + 15 * 60_000)).toBe("3h 15m");
    expect(formatDuration(2 * 86_400_000 + 6 * 3_600_000)).toBe("2d 6h");
    expect(formatDuration(-5000)).toBe("−5s");
    expect(formatDuration(3 * 3_600_000 + 5000, 5000)).toBe("3h 0m 5s");
    expect(formatDuration(3 * 3_600_000, 5000)).toBe("3h");
    expect(formatDuration(1250, 10)).toBe("1.25s");
    expect(formatDuration(61_500, 1)).toBe("1m 1.5s");
    expect(formatDuration(250, 50)).toBe("250ms");
    expect(formatDuration(2 * 86_400_000 + 7_200_000, 3_600_000)).toBe("2d 2h");
  });
});

describe("time ticks", () => {
  it("lands on round wall-clock times with readable labels", () => {
    const start = new Date(2023, 10, 14, 10, 3, 7).getTime();
    const ticks = timeTicks(start, start + 500_000, 6);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const t of ticks) {
      expect(new Date(t.value).getSeconds()).toBe(0);
      expect(t.label).toMatch(/^\d\d:\d\d$/);
    }
  });
  it("uses seconds and milliseconds for short spans", () => {
    const start = new Date(2023, 10, 14, 10, 0, 0, 3).getTime();
    expect(timeTicks(start, start + 20_000, 5)[0].label).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(timeTicks(start, start + 300, 4)[0].label).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });
  it("labels days on long spans", () => {
    const start = new Date(2023, 10, 1).getTime();
    const ticks = timeTicks(start, start + 20 * 86_400_000, 6);
    expect(ticks[0].label).toMatch(/^Nov \d+$/);
  });
  it("gives durations from zero on round intervals", () => {
    const ticks = durationTicks(0, 500_000, 6);
    expect(ticks[0]).toEqual({ value: 0, label: "0" });
    expect(ticks.map((t) => t.label)).toContain("2m");
  });
});
