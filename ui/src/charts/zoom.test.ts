import { describe, expect, it } from "vitest";
import { linearScale } from "./scale";
import { apiWindow, displayOffset, selectionWindow } from "./zoom";

describe("zoom mapping", () => {
  const scale = linearScale([0, 1000], [50, 1050]);
  it("turns a drag into an ascending data window", () => {
    expect(selectionWindow(350, 150, scale)).toEqual([100, 300]);
  });
  it("clamps drags that leave the plot", () => {
    expect(selectionWindow(0, 2000, scale)).toEqual([0, 1000]);
  });
  it("treats tiny drags as clicks", () => {
    expect(selectionWindow(100, 103, scale)).toBeNull();
  });
  it("offsets relative time by the run start and widens to whole units", () => {
    expect(displayOffset("relative", 1_700_000_000_000, null)).toBe(1_700_000_000_000);
    expect(displayOffset("relative", undefined, [5, 9])).toBe(5);
    expect(displayOffset("step", 123, null)).toBe(0);
    expect(displayOffset("relative", 1000, [400, 900])).toBe(400);
    expect(apiWindow([1000.4, 2000.2], 1_700_000_000_000)).toEqual({ xMin: 1_700_000_001_000, xMax: 1_700_000_002_001 });
    expect(apiWindow([10.5, 20.5], 0)).toEqual({ xMin: 10, xMax: 21 });
  });
  it("round-trips pixel -> data -> pixel", () => {
    const [a, b] = selectionWindow(200, 400, scale)!;
    expect(scale.map(a)).toBeCloseTo(200);
    expect(scale.map(b)).toBeCloseTo(400);
  });
});
