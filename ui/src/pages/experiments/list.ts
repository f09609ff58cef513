// Pure logic and API calls of the experiments list: load every page, filter by name, sort,
// description preview.
import { createExperiment, searchExperiments, type ViewType } from "../../api/tracking";
import type { Experiment, KeyValue } from "../../api/types";

export type SortKey = "name" | "-name" | "created" | "-created";
export const SORT_KEYS: readonly SortKey[] = ["name", "-name", "created", "-created"];
export const DEFAULT_SORT: SortKey = "-created";

export function parseSort(raw: string | null): SortKey {
  return SORT_KEYS.includes(raw as SortKey) ? (raw as SortKey) : DEFAULT_SORT;
}

/** Every experiment of the view, following next_page_token (at most `limit` pages). */
export async function loadAllExperiments(viewType: ViewType, limit = 100): Promise<Experiment[]> {
  const all: Experiment[] = [];
  let token: string | undefined;
  for (let page = 0; page < limit; page++) {
    const result = await searchExperiments({ viewType, maxResults: 1000, pageToken: token });
    all.push(...result.experiments);
    token = result.next_page_token;
    if (!token) break;
  }
  return all;
}

/** Create an experiment with an optional artifact location and tags; returns its id. */
export async function createExperimentWith(name: string, artifactLocation: string, tags: KeyValue[]): Promise<string> {
  return createExperiment(name, tags, artifactLocation);
}

/** Experiments whose name contains `search` (case-insensitive; plain text, no wildcards). */
export function filterByName(experiments: Experiment[], search: string): Experiment[] {
  const needle = search.trim().toLocaleLowerCase();
  if (!needle) return experiments;
  return experiments.filter((e) => e.name.toLocaleLowerCase().includes(needle));
}

export function sortExperiments(experiments: Experiment[], sort: SortKey): Experiment[] {
  const desc = sort.startsWith("-");
  const key = desc ? sort.slice(1) : sort;
  const sign = desc ? -1 : 1;
  const byId = (a: Experiment, b: Experiment) => Number(a.experiment_id) - Number(b.experiment_id) || a.experiment_id.localeCompare(b.experiment_id);
  return [...experiments].sort((a, b) => {
    const order = key === "name"
      ? a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: "base" })
      : (a.creation_time ?? 0) - (b.creation_time ?? 0);
    return sign * (order || byId(a, b));
  });
}

/** The first non-empty line of a Markdown description, without Markdown markers. */
export function descriptionPreview(text: string | undefined): string {
  if (!text) return "";
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !l.startsWith("```"));
  if (!line) return "";
  return line
    .replace(/^(#{1,6}\s+|>\s*|[-*+]\s+|\d+\.\s+)/, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, "$2")
    .trim();
}

/** Tags a user set (not mlflow.*). */
export function visibleTags(tags: KeyValue[] | undefined): KeyValue[] {
  return (tags ?? []).filter((t) => !t.key.startsWith("mlflow."));
}

/** Rows of the tag editor in the create dialog: blank keys dropped, the last value of a key wins. */
export function cleanTags(rows: KeyValue[]): KeyValue[] {
  const map = new Map<string, string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (key) map.set(key, row.value);
  }
  return [...map].map(([key, value]) => ({ key, value }));
}
