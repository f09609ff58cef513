// Fetch the chart-sized reduction of one metric for several runs, in parallel and abortable.
// Answers are cached per (run, key, axis, buckets, window), so "Reset zoom" and switching the
// x axis back are instant. The previous data stays available while a new request runs.
import { useEffect, useRef, useState } from "preact/hooks";
import { metricHistoryReduced } from "../api/tracking";
import type { XAxis } from "../api/types";
import { fromResponse, type SeriesData } from "./series";

export interface SeriesRequest {
  runId: string;
  xMin?: number;
  xMax?: number;
}

export interface SeriesDataState {
  /** Key of the request set `data` answers (compare with the wanted key to know if it is final). */
  key: string;
  data: Map<string, SeriesData>;
  errors: Map<string, Error>;
}

const CACHE_LIMIT = 64;
const EMPTY: SeriesDataState = { key: "", data: new Map(), errors: new Map() };

export function requestSetKey(metricKey: string, axis: XAxis, buckets: number, requests: SeriesRequest[]): string {
  return [metricKey, axis, buckets, ...requests.map((r) => `${r.runId}@${r.xMin ?? ""}:${r.xMax ?? ""}`)].join("|");
}

/**
 * `enabled` false: nothing is fetched (chart not visible yet, or width unknown).
 * `reload` changes force a new request (Retry).
 */
export function useSeriesData(opts: {
  enabled: boolean; metricKey: string; axis: XAxis; buckets: number; requests: SeriesRequest[]; reload: number;
}): { state: SeriesDataState; wantedKey: string } {
  const { enabled, metricKey, axis, buckets, requests, reload } = opts;
  const wantedKey = enabled ? `${reload}#${requestSetKey(metricKey, axis, buckets, requests)}` : "";
  const cache = useRef(new Map<string, SeriesData>());
  const [state, setState] = useState<SeriesDataState>(EMPTY);
  const requestsRef = useRef(requests);
  requestsRef.current = requests;
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const setKey = wantedKey;
    const wanted = requestsRef.current;
    const keyOf = (r: SeriesRequest) => `${metricKey}|${axis}|${buckets}|${r.runId}|${r.xMin ?? ""}|${r.xMax ?? ""}`;
    const jobs = wanted.map((r) => {
      const hit = cache.current.get(keyOf(r));
      if (hit) return Promise.resolve(hit);
      return metricHistoryReduced(
        { runId: r.runId, key: metricKey, xAxis: axis, buckets, xMin: r.xMin, xMax: r.xMax }, controller.signal,
      ).then((response) => {
        const data = fromResponse(response, buckets);
        cache.current.set(keyOf(r), data);
        if (cache.current.size > CACHE_LIMIT) {
          const oldest = cache.current.keys().next().value;
          if (oldest !== undefined) cache.current.delete(oldest);
        }
        return data;
      });
    });
    void Promise.allSettled(jobs).then((results) => {
      if (controller.signal.aborted) return;
      const data = new Map<string, SeriesData>();
      const errors = new Map<string, Error>();
      results.forEach((result, i) => {
        const runId = wanted[i].runId;
        if (result.status === "fulfilled") data.set(runId, result.value);
        else errors.set(runId, result.reason instanceof Error ? result.reason : new Error(String(result.reason)));
      });
      setState({ key: setKey, data, errors });
    });
    return () => controller.abort();
    // wantedKey captures every input of the request set.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [wantedKey]);
  return { state, wantedKey };
}
