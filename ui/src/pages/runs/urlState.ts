// The runs page's view state and how it lives in the URL query, so that a shared link or a
// reload restores the exact view. Encoding (every key is left out when it has its default):
//
//   filter=<text>             the run filter, MLflow grammar (default: none)
//   view=deleted|all          which runs (default: active)
//   sort=<entity>.<key>       the sort column: entity is attributes|metrics|params|tags and
//                             key the rest after the first "." (default: attributes.start_time)
//   dir=asc|desc              the sort direction (default: desc)
//   cols=<col>,<col>,...      the chosen columns, each "<type>.<key>" with type metrics|params|
//                             tags; "%" and "," inside a key are written %25 and %2C. The
//                             special value "none" means no columns; no cols at all means the
//                             default columns (a few metrics and params).
//   experiments=1,2           (compare-experiments route only) the experiment ids
//
// URLSearchParams escapes the whole value once more in the hash; decoding is the inverse.

export type ViewKind = "active" | "deleted" | "all";
export type ColumnType = "metrics" | "params" | "tags";
export type SortEntity = "attributes" | ColumnType;

export interface ColumnRef {
  type: ColumnType;
  key: string;
}

export interface SortState {
  entity: SortEntity;
  key: string;
  ascending: boolean;
}

export interface RunsViewState {
  filter: string;
  view: ViewKind;
  sort: SortState;
  /** null: the default columns (chosen from the experiment's keys). */
  columns: ColumnRef[] | null;
}

export const DEFAULT_SORT: SortState = { entity: "attributes", key: "start_time", ascending: false };
export const COLUMN_TYPES: readonly ColumnType[] = ["metrics", "params", "tags"];
const SORT_ENTITIES: readonly SortEntity[] = ["attributes", "metrics", "params", "tags"];

export function columnId(column: ColumnRef): string {
  return `${column.type}.${column.key}`;
}

export function sameSort(a: SortState, b: SortState): boolean {
  return a.entity === b.entity && a.key === b.key && a.ascending === b.ascending;
}

function escapeKey(key: string): string {
  return key.replace(/%/g, "%25").replace(/,/g, "%2C");
}

function unescapeKey(text: string): string {
  return text.replace(/%2C/gi, ",").replace(/%25/g, "%");
}

/** "<type>.<key>" → ColumnRef (null when the type is unknown or the key empty). */
function parseColumn(text: string): ColumnRef | null {
  const dot = text.indexOf(".");
  if (dot <= 0) return null;
  const type = text.slice(0, dot) as ColumnType;
  const key = unescapeKey(text.slice(dot + 1));
  if (!COLUMN_TYPES.includes(type) || !key) return null;
  return { type, key };
}

export function encodeColumns(columns: ColumnRef[] | null): string | undefined {
  if (columns === null) return undefined;
  if (columns.length === 0) return "none";
  return columns.map((c) => `${c.type}.${escapeKey(c.key)}`).join(",");
}

export function decodeColumns(text: string | null): ColumnRef[] | null {
  if (text === null || text === "") return null;
  if (text === "none") return [];
  const seen = new Set<string>();
  const columns: ColumnRef[] = [];
  for (const part of text.split(",")) {
    const column = parseColumn(part);
    if (column && !seen.has(columnId(column))) {
      seen.add(columnId(column));
      columns.push(column);
    }
  }
  return columns;
}

export function decodeState(query: URLSearchParams): RunsViewState {
  const viewText = query.get("view");
  const view: ViewKind = viewText === "deleted" || viewText === "all" ? viewText : "active";
  let sort = DEFAULT_SORT;
  const sortText = query.get("sort");
  if (sortText) {
    const dot = sortText.indexOf(".");
    const entity = sortText.slice(0, dot) as SortEntity;
    const key = sortText.slice(dot + 1);
    if (dot > 0 && key && SORT_ENTITIES.includes(entity)) {
      sort = { entity, key, ascending: query.get("dir") === "asc" };
    }
  } else if (query.get("dir") === "asc") {
    sort = { ...DEFAULT_SORT, ascending: true };
  }
  return {
    filter: query.get("filter") ?? "",
    view,
    sort,
    columns: decodeColumns(query.get("cols")),
  };
}

/** The query entries of `state` (undefined for defaults: updateQuery then drops the key). */
export function encodeState(state: RunsViewState): Record<string, string | undefined> {
  const defaultSortKey = state.sort.entity === DEFAULT_SORT.entity && state.sort.key === DEFAULT_SORT.key;
  return {
    filter: state.filter.trim() ? state.filter : undefined,
    view: state.view === "active" ? undefined : state.view,
    sort: defaultSortKey ? undefined : `${state.sort.entity}.${state.sort.key}`,
    dir: state.sort.ascending ? "asc" : undefined,
    cols: encodeColumns(state.columns),
  };
}

/** "1,2, 3" → ["1", "2", "3"] (empty parts and duplicates dropped). */
export function parseIdList(text: string | null): string[] {
  const ids: string[] = [];
  for (const part of (text ?? "").split(",")) {
    const id = part.trim();
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
