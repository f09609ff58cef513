// Which columns the runs table has, how they sort on the server and the default choice.
import type { ColumnsResponse, RunsTableRequest } from "../../api/types";
import { keyRef } from "./filterSuggest";
import type { ColumnRef, ColumnType, RunsViewState, SortState, ViewKind } from "./urlState";

/** The fixed columns after the selection box and the run name. */
export type FixedColumn = "experiment" | "created" | "duration" | "status" | "user" | "source" | "model";

export interface FixedColumnDef {
  id: FixedColumn;
  label: string;
  width: number;
  /** The attribute the server sorts by (none: not sortable). */
  sortKey?: string;
}

export const SELECT_WIDTH = 38;
export const NAME_WIDTH = 260;
export const KEY_COLUMN_WIDTH: Record<ColumnType, number> = { metrics: 118, params: 118, tags: 130 };

export const FIXED_COLUMNS: FixedColumnDef[] = [
  { id: "experiment", label: "Experiment", width: 150 },
  { id: "created", label: "Created", width: 168, sortKey: "start_time" },
  { id: "duration", label: "Duration", width: 92 },
  { id: "status", label: "Status", width: 104, sortKey: "status" },
  { id: "user", label: "User", width: 110, sortKey: "user_id" },
  { id: "source", label: "Source", width: 150 },
  { id: "model", label: "Model", width: 76 },
];

export const TYPE_LABEL: Record<ColumnType, string> = { metrics: "Metrics", params: "Parameters", tags: "Tags" };

const DEFAULT_PER_TYPE = 5;

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base", numeric: true });

/** Default columns: the first few metrics and params by name. */
export function defaultColumns(available: ColumnsResponse): ColumnRef[] {
  const pick = (type: "metrics" | "params") =>
    [...available[type]].sort(byName).slice(0, DEFAULT_PER_TYPE).map((key) => ({ type, key }));
  return [...pick("metrics"), ...pick("params")];
}

/** Columns grouped by type (metrics, params, tags), each group in the chosen order. */
export function groupColumns(columns: readonly ColumnRef[]): ColumnRef[] {
  const order: ColumnType[] = ["metrics", "params", "tags"];
  return order.flatMap((type) => columns.filter((c) => c.type === type));
}

/** The server's order_by element for a sort, e.g. "metrics.`val loss` ASC". */
export function orderByOf(sort: SortState): string {
  const direction = sort.ascending ? "ASC" : "DESC";
  return `${keyRef(sort.entity, sort.key)} ${direction}`;
}

export const VIEW_TYPES: Record<ViewKind, "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL"> = {
  active: "ACTIVE_ONLY",
  deleted: "DELETED_ONLY",
  all: "ALL",
};

/** The runs/table request for a view (without paging fields). */
export function tableRequest(experimentIds: string[], state: RunsViewState, columns: readonly ColumnRef[]): RunsTableRequest {
  const keys = (type: ColumnType) => columns.filter((c) => c.type === type).map((c) => c.key);
  return {
    experiment_ids: experimentIds,
    filter: state.filter.trim() || undefined,
    run_view_type: VIEW_TYPES[state.view],
    order_by: [orderByOf(state.sort)],
    params: keys("params"),
    metrics: keys("metrics"),
    tags: keys("tags"),
  };
}

/** First click on a column: metrics and times sort best-first (descending), text A→Z. */
export function nextSort(current: SortState, entity: SortState["entity"], key: string): SortState {
  if (current.entity === entity && current.key === key) return { entity, key, ascending: !current.ascending };
  const descendingFirst = entity === "metrics" || (entity === "attributes" && key === "start_time");
  return { entity, key, ascending: !descendingFirst };
}
