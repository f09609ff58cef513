// The small print under a chart: how the data was reduced, what the log scale left out,
// which non-finite values are marked on the edges, which runs failed to load.
import type { ChartSeries } from "./types";
import type { View } from "./view";

export interface ChartNote {
  text: string;
  warn?: boolean;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

export function chartNotes(opts: {
  view: View | null; series: ChartSeries[]; errors: ReadonlyMap<string, Error>; logY: boolean;
}): ChartNote[] {
  const { view, series, errors } = opts;
  const notes: ChartNote[] = [];
  if (view) {
    const reduced = view.series.filter((s) => s.data.reduced);
    if (reduced.length > 0) {
      const points = reduced.reduce((sum, s) => sum + s.data.windowPoints, 0);
      const buckets = reduced.reduce((sum, s) => sum + s.data.n, 0);
      notes.push({
        text: `${count(points)} points drawn as ${count(buckets)} buckets: the band spans each bucket's min–max, the line joins the means.`,
      });
    }
    if (opts.logY && view.nonPositiveHidden) notes.push({ text: "Values ≤ 0 are left out on the log scale." });
    const { nan, posInf, negInf } = view.specials;
    const parts = [
      nan ? `${count(nan)} NaN (○ bottom)` : "",
      posInf ? `${count(posInf)} +Infinity (▲ top)` : "",
      negInf ? `${count(negInf)} -Infinity (▼ bottom)` : "",
    ].filter(Boolean);
    if (parts.length) notes.push({ text: `Non-finite values marked on the plot edge: ${parts.join(", ")}.`, warn: true });
  }
  if (errors.size > 0 && errors.size < series.length) {
    for (const s of series) {
      const error = errors.get(s.runId);
      if (error) notes.push({ text: `${s.runName}: ${error.message}`, warn: true });
    }
  }
  return notes;
}
