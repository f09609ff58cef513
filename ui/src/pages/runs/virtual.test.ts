import { describe, expect, it } from "vitest";
import { scrollToRow, visibleWindow } from "./virtual";

const base = { rowHeight: 30, headerHeight: 60, rowCount: 10_000, overscan: 5, viewportHeight: 660 };

describe("virtual window", () => {
  it("renders the visible rows plus overscan at the top", () => {
    const win = visibleWindow({ ...base, scrollTop: 0 });
    expect(win).toEqual({ start: 0, end: 25, padTop: 0, padBottom: (10_000 - 25) * 30 });
  });

  it("moves with the scroll position", () => {
    const win = visibleWindow({ ...base, scrollTop: 3000 });
    expect(win.start).toBe(95);
    expect(win.end).toBe(125);
    expect(win.padTop + (win.end - win.start) * 30 + win.padBottom).toBe(10_000 * 30);
  });

  it("clamps at the end and for small or empty tables", () => {
    expect(visibleWindow({ ...base, scrollTop: 10_000 * 30 }).end).toBe(10_000);
    expect(visibleWindow({ ...base, rowCount: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
    expect(visibleWindow({ ...base, rowCount: 0, scrollTop: 50 })).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
  });

  it("keeps the same window for small scrolls when quantized", () => {
    const a = visibleWindow({ ...base, scrollTop: 3000, quantum: 8 });
    const b = visibleWindow({ ...base, scrollTop: 2910, quantum: 8 });
    expect(a.start % 8).toBe(0);
    expect(a.end % 8).toBe(0);
    expect(b).toEqual(a);
    expect(a.start).toBeLessThanOrEqual(95);
    expect(a.end).toBeGreaterThanOrEqual(125);
  });

  it("scrolls a row into view only when needed", () => {
    expect(scrollToRow(0, 300, 660, 30, 60)).toBe(0);
    expect(scrollToRow(12, 300, 660, 30, 60)).toBe(300);
    expect(scrollToRow(40, 300, 660, 30, 60)).toBe(41 * 30 - 600);
  });
});
