// The experiment runs page: header, filter/view/columns toolbar, selection actions and the
// virtualized runs table. The view (filter, view, sort, columns) lives in the URL query
// (see urlState.ts); selection and expand state live here and survive background paging.
import { useMemo, useRef, useState } from "preact/hooks";
import { ApiError } from "../../api/http";
import { experimentColumns, getExperiment } from "../../api/tracking";
import type { TableRun } from "../../api/types";
import { CopyButton, EmptyState, ErrorBanner, Spinner } from "../../components/common";
import { useAsync } from "../../lib/useAsync";
import { navigate, routes, updateQuery, useLocation } from "../../router";
import { ColumnChooser } from "./ColumnChooser";
import { defaultColumns, groupColumns, nextSort, tableRequest } from "./columns";
import { FilterBox } from "./FilterBox";
import { ConfirmRunAction, type RunAction } from "./RunActions";
import { RunCount, RunsHeader } from "./RunsHeader";
import { RunsTable, type SelectAllState } from "./RunsTable";
import { buildForest, COLLAPSED, flattenForest, isExpanded, toggleExpanded, type ExpandState } from "./tree";
import { decodeState, encodeState, parseIdList, type RunsViewState, type ViewKind } from "./urlState";
import { useRunsData } from "./useRunsData";
import "./runs.css";

function snippet(experimentId: string): string {
  const origin = `${window.location.origin}${window.location.pathname.replace(/\/[^/]*$/, "")}`;
  return [
    "import mlflow  # or: import mltrail as mlflow",
    `mlflow.set_tracking_uri("${origin}")`,
    `with mlflow.start_run(experiment_id="${experimentId}"): mlflow.log_metric("accuracy", 0.9)`,
  ].join("\n");
}

function NoRuns({ experimentId }: { experimentId: string }) {
  const code = snippet(experimentId);
  return (
    <div class="no-runs" data-testid="runs-empty">
      <strong>No runs yet</strong>
      <div class="muted">Log a first run of this experiment from Python:</div>
      <pre class="code-snippet"><code>{code}</code></pre>
      <CopyButton text={code} label="Copy snippet" />
    </div>
  );
}

export function RunsPage({ experimentIds }: { experimentIds: string }) {
  const { query } = useLocation();
  const ids = experimentIds ? [experimentIds] : parseIdList(query.get("experiments"));
  const idsKey = ids.join(",");
  const state = decodeState(query);
  const experiments = useAsync(() => Promise.all(ids.map((id) => getExperiment(id))), [idsKey]);
  const available = useAsync((signal) => experimentColumns(ids, signal), [idsKey]);
  const [reloadToken, setReloadToken] = useState(0);
  const [expand, setExpand] = useState<ExpandState>(COLLAPSED);
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [action, setAction] = useState<RunAction | null>(null);
  const anchor = useRef<number | null>(null);

  // Without columns in the URL the defaults come from the experiment's keys; until they are
  // known the first page loads without key columns, so the first rows never wait for them.
  const pendingDefaults = state.columns === null && !available.data && !available.error;
  const shownColumns = state.columns ?? (available.data ? defaultColumns(available.data) : []);
  const columns = useMemo(() => groupColumns(shownColumns), [JSON.stringify(shownColumns)]);
  const request = ids.length > 0 ? tableRequest(ids, state, columns) : null;
  const data = useRunsData(request, reloadToken, { background: !pendingDefaults });
  const forest = useMemo(() => buildForest(data.runs), [data.runs]);
  const rows = useMemo(() => flattenForest(forest, (id) => isExpanded(expand, id)), [forest, expand]);
  const runById = useMemo(() => new Map(data.runs.map((run) => [run.run_id, run])), [data.runs]);
  const selectedRuns = useMemo(
    () => [...selection].map((id) => runById.get(id)).filter((run): run is TableRun => !!run),
    [selection, runById],
  );
  const hasNesting = forest.children.size > 0;
  const experimentNames = useMemo(() => {
    const names: Record<string, string> = {};
    for (const e of experiments.data ?? []) names[e.experiment_id] = e.name;
    return names;
  }, [experiments.data]);

  const update = (patch: Partial<RunsViewState>) => updateQuery(encodeState({ ...state, ...patch }));
  const reload = () => setReloadToken((n) => n + 1);

  if (ids.length === 0) {
    return (
      <EmptyState title="No experiments chosen">
        Pick experiments on the <a href="#/">experiments page</a> to compare their runs.
      </EmptyState>
    );
  }
  if (experiments.error) return <ErrorBanner error={experiments.error} onRetry={experiments.reload} />;

  const filterError = data.error instanceof ApiError && data.error.errorCode === "INVALID_PARAMETER_VALUE" && state.filter
    ? data.error.message : undefined;
  const selectAll: SelectAllState = selectedRuns.length === 0 ? "none"
    : selectedRuns.length >= data.runs.length ? "all" : "some";
  const activeSelected = selectedRuns.filter((r) => r.lifecycle_stage === "active");
  const deletedSelected = selectedRuns.filter((r) => r.lifecycle_stage === "deleted");

  const toggleSelected = (index: number, shift: boolean) => {
    const run = rows[index]?.run;
    if (!run) return;
    const next = new Set(selection);
    if (shift && anchor.current !== null && anchor.current < rows.length) {
      const [from, to] = anchor.current < index ? [anchor.current, index] : [index, anchor.current];
      const on = !selection.has(run.run_id);
      for (let i = from; i <= to; i++) {
        if (on) next.add(rows[i].run.run_id);
        else next.delete(rows[i].run.run_id);
      }
    } else if (next.has(run.run_id)) {
      next.delete(run.run_id);
    } else {
      next.add(run.run_id);
    }
    anchor.current = index;
    setSelection(next);
  };
  const compare = () => {
    const runIds = selectedRuns.map((r) => r.run_id);
    const expIds = [...new Set(selectedRuns.map((r) => r.experiment_id))];
    window.location.hash = `${routes.compareRuns()}?runs=${runIds.map(encodeURIComponent).join(",")}`
      + `&experiments=${expIds.map(encodeURIComponent).join(",")}`;
  };

  let empty;
  if (data.error && !filterError) {
    empty = <ErrorBanner error={data.error} onRetry={reload} />;
  } else if (filterError) {
    empty = <EmptyState title="The filter could not be applied">Fix the filter above, or clear it.</EmptyState>;
  } else if (data.loadingFirst) {
    empty = <Spinner label="Loading runs…" />;
  } else if (state.filter) {
    empty = (
      <EmptyState title="No runs match this filter">
        <button class="btn btn-small" onClick={() => update({ filter: "" })}>Clear the filter</button>
      </EmptyState>
    );
  } else if (state.view === "deleted") {
    empty = <EmptyState title="No deleted runs" />;
  } else {
    empty = <NoRuns experimentId={ids[0]} />;
  }
  const count = data.total === undefined && data.runs.length === 0 ? null : (
    <RunCount total={data.total} loaded={data.runs.length} loadingMore={data.loadingMore} />
  );

  return (
    <div class="runs-page">
      {experiments.data
        ? <RunsHeader experiments={experiments.data} count={count} onChanged={experiments.reload} />
        : <div class="runs-header-placeholder"><Spinner label="Loading experiment…" /></div>}
      <div class="toolbar runs-toolbar">
        <FilterBox value={state.filter} error={filterError} keys={available.data}
          onApply={(filter) => update({ filter })} />
        <label class="view-select">
          <span class="muted">Show</span>
          <select data-testid="view-select" aria-label="Which runs to show" value={state.view}
            onChange={(e) => { setSelection(new Set()); update({ view: (e.currentTarget as HTMLSelectElement).value as ViewKind }); }}>
            <option value="active">Active</option>
            <option value="deleted">Deleted</option>
            <option value="all">All</option>
          </select>
        </label>
        <ColumnChooser available={available.data} error={available.error} chosen={columns}
          onChange={(cols) => update({ columns: cols })} onReset={() => update({ columns: null })} />
      </div>
      <div class="toolbar runs-actions" aria-label="Selected runs">
        <span class={`selection-info ${selectedRuns.length ? "" : "muted"}`} data-testid="selection-count">
          {selectedRuns.length ? `${selectedRuns.length.toLocaleString()} selected` : "No runs selected"}
        </span>
        <button class="btn btn-primary" data-testid="compare-button" disabled={selectedRuns.length < 2}
          title={selectedRuns.length < 2 ? "Select at least two runs to compare" : "Compare the selected runs"}
          onClick={compare}>Compare</button>
        {state.view !== "deleted" && (
          <button class="btn danger" data-testid="delete-button" disabled={activeSelected.length === 0}
            onClick={() => setAction("delete")}>Delete</button>
        )}
        {state.view !== "active" && (
          <button class="btn" data-testid="restore-button" disabled={deletedSelected.length === 0}
            onClick={() => setAction("restore")}>Restore</button>
        )}
        {selectedRuns.length > 0 && (
          <button class="btn btn-ghost" onClick={() => setSelection(new Set())}>Clear selection</button>
        )}
        <span class="spacer" />
        {data.loadingMore && (
          <span class="loaded-indicator" data-testid="runs-loaded" role="status">
            <span class="spinner" aria-hidden="true" />
            Loaded {data.runs.length.toLocaleString()}{data.total !== undefined ? ` of ${data.total.toLocaleString()}` : ""}
          </span>
        )}
        {hasNesting && (
          <>
            <button class="btn btn-small btn-ghost" data-testid="expand-all"
              onClick={() => setExpand({ all: true, toggled: new Set() })}>Expand all</button>
            <button class="btn btn-small btn-ghost" data-testid="collapse-all"
              onClick={() => setExpand(COLLAPSED)}>Collapse all</button>
          </>
        )}
      </div>
      <RunsTable rows={rows} columns={columns} showExperiment={ids.length > 1} experimentNames={experimentNames}
        sort={state.sort} onSort={(entity, key) => update({ sort: nextSort(state.sort, entity, key) })}
        selected={selection} selectAll={selectAll} onToggleSelected={toggleSelected}
        onToggleAll={() => setSelection(selectAll === "all" ? new Set() : new Set(data.runs.map((r) => r.run_id)))}
        onToggleExpand={(id) => setExpand((prev) => toggleExpanded(prev, id))}
        onOpen={(run) => navigate(routes.run(run.experiment_id, run.run_id))}
        stale={data.stale} empty={empty} />
      {data.error !== undefined && data.runs.length > 0 && !filterError && (
        <ErrorBanner error={data.error} onRetry={reload} />
      )}
      {action && (
        <ConfirmRunAction action={action} runs={action === "delete" ? activeSelected : deletedSelected}
          onClose={() => setAction(null)}
          onDone={() => { setAction(null); setSelection(new Set()); reload(); }} />
      )}
    </div>
  );
}
