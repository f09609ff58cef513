// Loads the runs of a table view: a small first page (rows show fast), then the rest in big
// pages in the background. A new request (filter, sort, view, columns) or a reload aborts the
// loads in flight; the previous rows stay on screen (marked stale) until the first page lands.
import { useEffect, useRef, useState } from "preact/hooks";
import { runsTable } from "../../api/tracking";
import type { RunsTableRequest, TableRun } from "../../api/types";

export const FIRST_PAGE = 200;
export const NEXT_PAGE = 2000;

export interface RunsData {
  runs: TableRun[];
  /** Matching runs in all (from the first page), undefined while unknown. */
  total: number | undefined;
  /** The first page of the current request has not arrived yet. */
  loadingFirst: boolean;
  /** More pages are being fetched in the background. */
  loadingMore: boolean;
  /** The rows on screen belong to an older request. */
  stale: boolean;
  error: unknown;
}

const INITIAL: RunsData = { runs: [], total: undefined, loadingFirst: true, loadingMore: false, stale: false, error: undefined };

/** The request without its column lists: when only columns change, the rows stay the same. */
function rowsKey(request: RunsTableRequest): string {
  const { params: _p, metrics: _m, tags: _t, ...rest } = request;
  return JSON.stringify(rest);
}

/**
 * `background: false` loads the first page only (e.g. while the default columns are still
 * unknown: the rows show at once and the full load follows with the columns).
 */
export function useRunsData(request: RunsTableRequest | null, reloadToken: number,
  options: { first?: number; next?: number; background?: boolean } = {}): RunsData {
  const pageSizes = { first: options.first ?? FIRST_PAGE, next: options.next ?? NEXT_PAGE };
  const background = options.background ?? true;
  const [data, setData] = useState<RunsData>(INITIAL);
  const lastRows = useRef("");
  const key = request ? JSON.stringify(request) : "";
  useEffect(() => {
    if (!request) {
      setData((prev) => ({ ...prev, loadingFirst: true, stale: prev.runs.length > 0 }));
      return;
    }
    const controller = new AbortController();
    const { signal } = controller;
    const sameRows = rowsKey(request) === lastRows.current;
    lastRows.current = rowsKey(request);
    setData((prev) => ({ ...prev, loadingFirst: true, loadingMore: false, stale: prev.runs.length > 0 && !sameRows, error: undefined }));
    const load = async () => {
      const first = await runsTable({ ...request, max_results: pageSizes.first }, signal);
      if (signal.aborted) return;
      let runs = first.runs;
      let token = first.next_page_token;
      const total = first.total_count ?? (token ? undefined : runs.length);
      setData({ runs, total, loadingFirst: false, loadingMore: !!token, stale: false, error: undefined });
      while (token && background) {
        const page = await runsTable({ ...request, max_results: pageSizes.next, page_token: token }, signal);
        if (signal.aborted) return;
        runs = runs.concat(page.runs);
        token = page.next_page_token;
        const done = !token;
        const known = total ?? (done ? runs.length : undefined);
        const snapshot = runs;
        setData({ runs: snapshot, total: known, loadingFirst: false, loadingMore: !done, stale: false, error: undefined });
      }
    };
    load().catch((error: unknown) => {
      if (signal.aborted) return;
      setData((prev) => prev.loadingFirst
        ? { runs: [], total: undefined, loadingFirst: false, loadingMore: false, stale: false, error }
        : { ...prev, loadingMore: false, error });
    });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, reloadToken, background]);
  return data;
}
