// The runs table: fixed-height virtualized rows (only the visible window plus overscan is in
// the DOM), a sticky two-row header, sticky selection and name columns, horizontal scroll.
// Rows are focusable: Up/Down/Home/End/PageUp/PageDown move, Space selects, Enter opens,
// Right/Left expand/collapse a parent.
import { Component, type ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { TableRun } from "../../api/types";
import { StatusBadge } from "../../components/common";
import { formatDuration, formatMetric, formatTime } from "../../lib/format";
import { href, routes } from "../../router";
import {
  FIXED_COLUMNS, KEY_COLUMN_WIDTH, NAME_WIDTH, SELECT_WIDTH, TYPE_LABEL, type FixedColumnDef,
} from "./columns";
import type { TreeRow } from "./tree";
import type { ColumnRef, ColumnType, SortEntity, SortState } from "./urlState";
import { scrollToRow, visibleWindow } from "./virtual";

export const ROW_HEIGHT = 34;
export const HEADER_HEIGHT = 62;
export const OVERSCAN = 12;
/** Window bounds snap to multiples of this many rows: small scrolls re-render nothing. */
export const QUANTUM = 8;
const FALLBACK_VIEWPORT = 600;
const INDENT = 18;

export type SelectAllState = "all" | "some" | "none";

export interface RunsTableProps {
  rows: TreeRow<TableRun>[];
  columns: ColumnRef[];
  showExperiment: boolean;
  experimentNames: Record<string, string>;
  sort: SortState;
  onSort: (entity: SortEntity, key: string) => void;
  selected: ReadonlySet<string>;
  onToggleSelected: (index: number, shift: boolean) => void;
  selectAll: SelectAllState;
  onToggleAll: () => void;
  onToggleExpand: (runId: string) => void;
  onOpen: (run: TableRun) => void;
  stale?: boolean;
  empty?: ComponentChildren;
}

function sourceLabel(run: TableRun): string {
  const name = run.source_name || "";
  const base = name.split(/[\\/]/).filter(Boolean).pop() ?? name;
  return base || "";
}

function durationOf(run: TableRun): string {
  if (run.start_time && run.end_time) return formatDuration(run.end_time - run.start_time);
  return run.status === "RUNNING" ? "running" : "—";
}

function keyValue(run: TableRun, column: ColumnRef): string {
  if (column.type === "metrics") return formatMetric(run.metrics[column.key]);
  const value = column.type === "params" ? run.params[column.key] : run.tags[column.key];
  return value ?? "";
}

function FixedCell({ def, run, experimentNames }: { def: FixedColumnDef; run: TableRun; experimentNames: Record<string, string> }) {
  switch (def.id) {
    case "experiment": {
      const name = experimentNames[run.experiment_id] ?? run.experiment_id;
      return <td title={name}>{name}</td>;
    }
    case "created":
      return <td class="time">{formatTime(run.start_time)}</td>;
    case "duration":
      return <td class="num">{durationOf(run)}</td>;
    case "status":
      return <td><StatusBadge status={run.status} /></td>;
    case "user":
      return <td title={run.user_id}>{run.user_id}</td>;
    case "source": {
      const title = [run.source_name, run.git_commit && `commit ${run.git_commit.slice(0, 12)}`].filter(Boolean).join("\n");
      return <td title={title}>{sourceLabel(run)}</td>;
    }
    case "model":
      return <td>{run.has_model ? <span class="model-mark" title="This run logged a model">model</span> : ""}</td>;
  }
}

function SortHeader({ label, entity, sortKey, sort, onSort, title, numeric, extraClass }: {
  label: string; entity: SortEntity; sortKey: string; sort: SortState; title?: string; numeric?: boolean;
  extraClass?: string;
  onSort: (entity: SortEntity, key: string) => void;
}) {
  const active = sort.entity === entity && sort.key === sortKey;
  return (
    <th aria-sort={active ? (sort.ascending ? "ascending" : "descending") : undefined} title={title ?? label}
      class={[active && "sorted", numeric && "num", extraClass].filter(Boolean).join(" ")}>
      <button type="button" class="th-sort" data-testid="sort-header" data-sort-key={`${entity}.${sortKey}`}
        onClick={() => onSort(entity, sortKey)}>
        <span class="th-label">{label}</span>
        <span class="sort-arrow" aria-hidden="true">{active ? (sort.ascending ? "▲" : "▼") : "↕"}</span>
      </button>
    </th>
  );
}

/** What a row calls back into; one stable object per table so rows can skip re-rendering. */
interface RowActions {
  toggleSelected: (index: number, shift: boolean) => void;
  toggleExpand: (runId: string) => void;
  focused: (index: number) => void;
  key: (event: KeyboardEvent, index: number, row: TreeRow<TableRun>) => void;
}

interface RunRowProps {
  row: TreeRow<TableRun>;
  index: number;
  selected: boolean;
  focusable: boolean;
  fixed: FixedColumnDef[];
  columns: ColumnRef[];
  experimentNames: Record<string, string>;
  actions: { current: RowActions };
}

/** One table row; re-renders only when its own props change (scrolling reuses most rows). */
class RunRow extends Component<RunRowProps> {
  shouldComponentUpdate(next: RunRowProps): boolean {
    const p = this.props;
    return p.row !== next.row || p.index !== next.index || p.selected !== next.selected
      || p.focusable !== next.focusable || p.fixed !== next.fixed || p.columns !== next.columns
      || p.experimentNames !== next.experimentNames;
  }

  render({ row, index, selected, focusable, fixed, columns, experimentNames, actions }: RunRowProps) {
    const run = row.run;
    const name = run.run_name || run.run_id.slice(0, 12);
    return (
      <tr data-testid="run-row" data-run-id={run.run_id} data-index={index}
        aria-rowindex={index + 3} aria-selected={selected} tabIndex={focusable ? 0 : -1}
        class={`run-row${selected ? " selected" : ""}${run.lifecycle_stage === "deleted" ? " deleted" : ""}`}
        onFocus={(e) => { if (e.target === e.currentTarget) actions.current.focused(index); }}
        onKeyDown={(e) => actions.current.key(e, index, row)}>
        <td class="c-select sticky-1">
          <input type="checkbox" aria-label={`Select run ${name}`} checked={selected} tabIndex={-1}
            onClick={(e) => { e.stopPropagation(); actions.current.toggleSelected(index, e.shiftKey); }} />
        </td>
        <td class="c-name sticky-2" title={name}>
          <span class="name-cell" style={{ paddingLeft: `${row.depth * INDENT}px` }}>
            {row.childCount > 0
              ? (
                <button type="button" class={`expander ${row.expanded ? "open" : ""}`} data-testid="expander"
                  tabIndex={-1} aria-expanded={row.expanded}
                  aria-label={`${row.expanded ? "Collapse" : "Expand"} ${row.childCount} child runs of ${name}`}
                  onClick={() => actions.current.toggleExpand(run.run_id)}>
                  <span class="chevron" aria-hidden="true">▸</span>
                </button>
              )
              : <span class="expander-space" />}
            <a href={href(routes.run(run.experiment_id, run.run_id))} tabIndex={-1} class="run-link">{name}</a>
            {row.childCount > 0 && <span class="child-count" title={`${row.childCount} child runs`}>{row.childCount}</span>}
            {run.lifecycle_stage === "deleted" && <span class="badge deleted-badge">deleted</span>}
          </span>
        </td>
        {fixed.map((def) => <FixedCell key={def.id} def={def} run={run} experimentNames={experimentNames} />)}
        {columns.map((c) => {
          const value = keyValue(run, c);
          return <td key={`${c.type}.${c.key}`} class={c.type === "metrics" ? "num" : ""} title={value}>{value}</td>;
        })}
      </tr>
    );
  }
}

export function RunsTable(props: RunsTableProps) {
  const { rows, columns, sort, onSort, selected } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef(false);
  const selectAllBox = useRef<HTMLInputElement>(null);
  const actions = useRef<RowActions>(null as unknown as RowActions);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => {
      setViewport(element.clientHeight || FALLBACK_VIEWPORT);
      setScrollTop(element.scrollTop);
    };
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (selectAllBox.current) selectAllBox.current.indeterminate = props.selectAll === "some";
  }, [props.selectAll]);
  useEffect(() => {
    if (focusIndex >= rows.length && rows.length > 0) setFocusIndex(rows.length - 1);
  }, [rows.length]);
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current = false;
    scroller.current?.querySelector<HTMLElement>(`tr[data-index="${focusIndex}"]`)?.focus({ preventScroll: true });
  });

  const fixed = useMemo(
    () => FIXED_COLUMNS.filter((c) => c.id !== "experiment" || props.showExperiment),
    [props.showExperiment],
  );
  const groups: { type: ColumnType; columns: ColumnRef[] }[] = (["metrics", "params", "tags"] as ColumnType[])
    .map((type) => ({ type, columns: columns.filter((c) => c.type === type) }))
    .filter((g) => g.columns.length > 0);
  const totalWidth = SELECT_WIDTH + NAME_WIDTH + fixed.reduce((sum, c) => sum + c.width, 0)
    + columns.reduce((sum, c) => sum + KEY_COLUMN_WIDTH[c.type], 0);
  const columnCount = 2 + fixed.length + columns.length;
  const win = visibleWindow({
    scrollTop, viewportHeight: viewport, rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT,
    rowCount: rows.length, overscan: OVERSCAN, quantum: QUANTUM,
  });

  const moveFocus = (index: number) => {
    if (rows.length === 0) return;
    const target = Math.max(0, Math.min(rows.length - 1, index));
    const element = scroller.current;
    if (element) {
      const next = scrollToRow(target, element.scrollTop, element.clientHeight || viewport, ROW_HEIGHT, HEADER_HEIGHT);
      if (next !== element.scrollTop) {
        element.scrollTop = next;
        setScrollTop(next);
      }
    }
    pendingFocus.current = true;
    setFocusIndex(target);
  };

  const onRowKey = (event: KeyboardEvent, index: number, row: TreeRow<TableRun>) => {
    if (event.target !== event.currentTarget) return;
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1,
      PageDown: index + page, PageUp: index - page,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveFocus(moves[event.key]);
    } else if (event.key === " ") {
      event.preventDefault();
      props.onToggleSelected(index, event.shiftKey);
    } else if (event.key === "Enter") {
      event.preventDefault();
      props.onOpen(row.run);
    } else if (event.key === "ArrowRight" && row.childCount > 0 && !row.expanded) {
      event.preventDefault();
      props.onToggleExpand(row.run.run_id);
    } else if (event.key === "ArrowLeft" && row.expanded) {
      event.preventDefault();
      props.onToggleExpand(row.run.run_id);
    }
  };

  actions.current = {
    toggleSelected: props.onToggleSelected,
    toggleExpand: props.onToggleExpand,
    focused: setFocusIndex,
    key: onRowKey,
  };
  const onScroll = (event: Event) => {
    const top = (event.currentTarget as HTMLDivElement).scrollTop;
    const next = visibleWindow({
      scrollTop: top, viewportHeight: viewport, rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT,
      rowCount: rows.length, overscan: OVERSCAN, quantum: QUANTUM,
    });
    if (next.start !== win.start || next.end !== win.end) setScrollTop(top);
  };
  const visible = rows.slice(win.start, win.end);
  return (
    <div class={`runs-table-scroll ${props.stale ? "stale" : ""}`} data-testid="runs-table" ref={scroller}
      onScroll={onScroll}>
      <table class="runs-grid" style={{ width: `${totalWidth}px` }} aria-rowcount={rows.length + 2}>
        <colgroup>
          <col style={{ width: `${SELECT_WIDTH}px` }} />
          <col style={{ width: `${NAME_WIDTH}px` }} />
          {fixed.map((c) => <col key={c.id} style={{ width: `${c.width}px` }} />)}
          {columns.map((c) => <col key={`${c.type}.${c.key}`} style={{ width: `${KEY_COLUMN_WIDTH[c.type]}px` }} />)}
        </colgroup>
        <thead>
          <tr class="group-row">
            <th colSpan={2} class="sticky-corner group-run">Run</th>
            <th colSpan={fixed.length} class="group-info" />
            {groups.map((g) => (
              <th key={g.type} colSpan={g.columns.length} class={`group-label group-${g.type}`}>
                {TYPE_LABEL[g.type]}
              </th>
            ))}
          </tr>
          <tr class="key-row">
            <th class="c-select sticky-1">
              <input type="checkbox" ref={selectAllBox} data-testid="select-all" aria-label="Select all loaded runs"
                checked={props.selectAll === "all"} disabled={rows.length === 0} onChange={props.onToggleAll} />
            </th>
            <SortHeader label="Run name" entity="attributes" sortKey="run_name" sort={sort} onSort={onSort}
              extraClass="c-name sticky-2" />
            {fixed.map((c) => c.sortKey
              ? <SortHeader key={c.id} label={c.label} entity="attributes" sortKey={c.sortKey} sort={sort} onSort={onSort} />
              : <th key={c.id}><span class="th-plain">{c.label}</span></th>)}
            {columns.map((c) => (
              <SortHeader key={`${c.type}.${c.key}`} label={c.key} entity={c.type} sortKey={c.key} sort={sort}
                onSort={onSort} title={`${TYPE_LABEL[c.type]}: ${c.key} (click to sort)`} numeric={c.type === "metrics"} />
            ))}
          </tr>
        </thead>
        <tbody>
          {win.padTop > 0 && <tr class="spacer" aria-hidden="true"><td colSpan={columnCount} style={{ height: `${win.padTop}px` }} /></tr>}
          {visible.map((row, offset) => {
            const index = win.start + offset;
            return (
              <RunRow key={row.run.run_id} row={row} index={index} selected={selected.has(row.run.run_id)}
                focusable={index === focusIndex} fixed={fixed} columns={columns}
                experimentNames={props.experimentNames} actions={actions} />
            );
          })}
          {win.padBottom > 0 && <tr class="spacer" aria-hidden="true"><td colSpan={columnCount} style={{ height: `${win.padBottom}px` }} /></tr>}
        </tbody>
      </table>
      {rows.length === 0 && props.empty && <div class="runs-table-empty">{props.empty}</div>}
    </div>
  );
}
