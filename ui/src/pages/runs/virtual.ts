// Virtual scrolling arithmetic for a table of fixed-height rows below a sticky header of
// `headerHeight` pixels inside one scroll container.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  headerHeight: number;
  rowCount: number;
  overscan: number;
  /** Align start/end to multiples of this many rows, so small scrolls keep the same window. */
  quantum?: number;
}

export interface RowWindow {
  /** First rendered row index (inclusive). */
  start: number;
  /** Last rendered row index (exclusive). */
  end: number;
  /** Height of the spacers above and below the rendered rows. */
  padTop: number;
  padBottom: number;
}

export function visibleWindow(input: WindowInput): RowWindow {
  const { rowHeight, rowCount, overscan } = input;
  if (rowCount <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const scrollTop = Math.max(0, input.scrollTop);
  const bodyHeight = Math.max(0, input.viewportHeight - input.headerHeight);
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.ceil((scrollTop + bodyHeight) / rowHeight);
  const quantum = Math.max(1, Math.floor(input.quantum ?? 1));
  const start = Math.min(rowCount, Math.max(0, Math.floor((firstVisible - overscan) / quantum) * quantum));
  const end = Math.min(rowCount, Math.max(start, Math.ceil((lastVisible + overscan) / quantum) * quantum));
  return { start, end, padTop: start * rowHeight, padBottom: (rowCount - end) * rowHeight };
}

/** The scrollTop that brings row `index` fully into view (or the current one when it is). */
export function scrollToRow(index: number, scrollTop: number, viewportHeight: number,
  rowHeight: number, headerHeight: number): number {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  const bodyHeight = Math.max(rowHeight, viewportHeight - headerHeight);
  if (top < scrollTop) return top;
  if (bottom > scrollTop + bodyHeight) return bottom - bodyHeight;
  return scrollTop;
}
