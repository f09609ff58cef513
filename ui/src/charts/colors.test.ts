import { colorFor, PALETTE, seriesColors } from "./colors";

describe("run colors", () => {
  it("gives a run the same color every time", () => {
    expect(colorFor("abc")).toBe(colorFor("abc"));
    expect(PALETTE).toContain(colorFor("abc"));
  });

  it("gives the runs of one chart distinct colors while the palette lasts", () => {
    const ids = Array.from({ length: PALETTE.length }, (_, i) => `run-${i}`);
    const colors = seriesColors(ids);
    expect(new Set(colors).size).toBe(PALETTE.length);
    expect(colors[0]).toBe(colorFor("run-0")); // the first run keeps its own color
  });

  it("starts over when there are more runs than colors", () => {
    const ids = Array.from({ length: PALETTE.length + 3 }, (_, i) => `r${i}`);
    const colors = seriesColors(ids);
    expect(colors).toHaveLength(ids.length);
    expect(colors.every((c) => PALETTE.includes(c))).toBe(true);
  });
});
