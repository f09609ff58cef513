// Zoom mapping: a horizontal drag in pixels -> an x window in display units -> the x_min /
// x_max query of each run (display units are steps, epoch ms, or ms since the run start).
import type { Scale } from "./scale";
import type { ChartXAxis } from "./types";

/** Drags shorter than this (CSS px) are clicks, not zooms. */
export const MIN_DRAG_PX = 5;

/** Keep a pixel inside the plot's horizontal range. */
export function clampPixel(px: number, scale: Scale): number {
  const [a, b] = scale.range;
  return Math.min(Math.max(px, Math.min(a, b)), Math.max(a, b));
}

/** The x window (display units, ascending) selected by dragging from `pxA` to `pxB`. */
export function selectionWindow(pxA: number, pxB: number, scale: Scale, minPx = MIN_DRAG_PX): [number, number] | null {
  const a = clampPixel(pxA, scale);
  const b = clampPixel(pxB, scale);
  if (Math.abs(b - a) < minPx) return null;
  const x0 = scale.invert(Math.min(a, b));
  const x1 = scale.invert(Math.max(a, b));
  return x0 <= x1 ? [x0, x1] : [x1, x0];
}

/**
 * How far display x is from the API x of a run. Relative time counts from the run start, or
 * from the first point when the series begins before the start (timestamps set by the user).
 */
export function displayOffset(mode: ChartXAxis, startTime: number | undefined, xRange: [number, number] | null): number {
  if (mode !== "relative") return 0;
  if (startTime === undefined) return xRange?.[0] ?? 0;
  return xRange && xRange[0] < startTime ? xRange[0] : startTime;
}

/** The API window of one run for a display window: integer steps / ms, widened to include the ends. */
export function apiWindow(window: [number, number], offset: number): { xMin: number; xMax: number } {
  return { xMin: Math.floor(window[0] + offset), xMax: Math.ceil(window[1] + offset) };
}

/** Whether a window is too narrow to zoom further (less than one step / one ms). */
export function windowTooSmall(window: [number, number]): boolean {
  return window[1] - window[0] < 1;
}

/** A stable string for a window (cache keys), "" when none. */
export function windowKey(window: [number, number] | null): string {
  return window ? `${window[0]}:${window[1]}` : "";
}
