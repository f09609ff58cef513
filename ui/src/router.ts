// Hash routing: "#/experiments/1?sort=...". The path part selects a page, the query part
// holds view state (columns, sort, filter...) so views can be shared and survive a reload.
import { useEffect, useState } from "preact/hooks";

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function parseHash(hash: string): Location {
  const raw = hash.startsWith("#") ? hash.slice(1) : hash;
  const [path, search = ""] = raw.split("?", 2);
  return { path: path || "/", query: new URLSearchParams(search) };
}

export function currentLocation(): Location {
  return parseHash(window.location.hash);
}

/** "#/path?query" for `path` and query entries (empty/undefined values are left out). */
export function href(path: string, query: Record<string, string | undefined | null> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ""}`;
}

export function navigate(path: string, query: Record<string, string | undefined | null> = {}, replace = false): void {
  const target = href(path, query);
  if (replace) {
    window.history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = target.slice(1);
  }
}

/** Change some query values of the current page (replace: no new history entry). */
export function updateQuery(patch: Record<string, string | undefined | null>, replace = true): void {
  const { path, query } = currentLocation();
  const next: Record<string, string> = {};
  query.forEach((value, key) => { next[key] = value; });
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === "") delete next[key];
    else next[key] = value;
  }
  navigate(path, next, replace);
}

export function useLocation(): Location {
  const [location, setLocation] = useState<Location>(currentLocation);
  useEffect(() => {
    const onChange = () => setLocation(currentLocation());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return location;
}

/** Match "/experiments/:id/runs/:runId" against a path; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** Route paths (MLflow's hash URL shapes, so links people share keep working). */
export const routes = {
  experiments: () => "/",
  experiment: (id: string) => `/experiments/${encodeURIComponent(id)}`,
  run: (experimentId: string, runId: string) =>
    `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`,
  compareRuns: () => "/compare-runs",
  compareExperiments: () => "/compare-experiments",
  /** One metric of one or more runs, full page: query runs=<id>,<id>&key=<metric>. */
  metric: () => "/metric",
  models: () => "/models",
  model: (name: string) => `/models/${encodeURIComponent(name)}`,
  modelVersion: (name: string, version: string) =>
    `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`,
};
