import { describe, expect, it } from "vitest";
import { colorFor, PALETTE, seriesColors } from "./colors";

describe("run colors", () => {
  it("is stable per run", () => {
    expect(colorFor("abc")).toBe(colorFor("abc"));
    expect(PALETTE).toContain(colorFor("abc"));
  });
  it("gives the runs of one chart distinct colors, keeping the first run's own", () => {
    const ids = Array.from({ length: 12 }, (_, i) => `run-${i}`);
    const colors = seriesColors(ids);
    expect(new Set(colors).size).toBe(12);
    expect(colors[0]).toBe(colorFor("run-0"));
  });
});
