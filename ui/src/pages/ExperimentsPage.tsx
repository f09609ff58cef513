// The experiments list (route "#/"): search, sort, create, rename, delete and restore
// experiments, and pick several to compare. Search, sort and "show deleted" live in the URL.
import { useMemo, useState } from "preact/hooks";
import { restoreExperiment } from "../api/tracking";
import type { Experiment } from "../api/types";
import { EmptyState, ErrorBanner, PageHeader, Spinner } from "../components/common";
import { formatAgo, formatTime, tagValue } from "../lib/format";
import { useAsync } from "../lib/useAsync";
import { href, routes, updateQuery, useLocation } from "../router";
import { CreateExperimentDialog, DeleteExperimentDialog, RenameExperimentDialog } from "./experiments/ExperimentDialogs";
import {
  descriptionPreview, filterByName, loadAllExperiments, parseSort, sortExperiments, visibleTags, type SortKey,
} from "./experiments/list";
import "./experiments/experiments.css";

const PAGE_ROWS = 200;

/** Open the multi-experiment runs view: "#/compare-experiments?experiments=1,2" (plain commas). */
function compare(ids: string[]): void {
  window.location.hash = `${routes.compareExperiments()}?experiments=${ids.map(encodeURIComponent).join(",")}`;
}

type Dialog =
  | { kind: "create" }
  | { kind: "rename"; experiment: Experiment }
  | { kind: "delete"; experiment: Experiment };

function SortHeader({ label, column, sort }: { label: string; column: "name" | "created"; sort: SortKey }) {
  const active = sort === column || sort === `-${column}`;
  const desc = sort === `-${column}`;
  const next = active && !desc ? `-${column}` : column;
  return (
    <th aria-sort={active ? (desc ? "descending" : "ascending") : "none"}>
      <button class="exp-sort" type="button" data-testid={`sort-${column}`}
        onClick={() => updateQuery({ sort: next === "-created" ? undefined : next })}>
        {label}
        <span class={`exp-sort-arrow${active ? " active" : ""}`} aria-hidden="true">{active ? (desc ? "▼" : "▲") : "↕"}</span>
      </button>
    </th>
  );
}

function TagChips({ experiment }: { experiment: Experiment }) {
  const tags = visibleTags(experiment.tags);
  if (tags.length === 0) return null;
  const shown = tags.slice(0, 3);
  return (
    <span class="exp-tags">
      {shown.map((t) => (
        <span class="exp-tag" key={t.key} title={`${t.key}: ${t.value}`}>
          <span class="exp-tag-key">{t.key}</span>{t.value && <span class="exp-tag-value">{t.value}</span>}
        </span>
      ))}
      {tags.length > shown.length && (
        <span class="exp-tag exp-tag-more" title={tags.slice(3).map((t) => `${t.key}: ${t.value}`).join("\n")}>
          +{tags.length - shown.length}
        </span>
      )}
    </span>
  );
}

function GettingStarted() {
  return (
    <EmptyState title="No experiments yet">
      <p>Create one here, or from Python:</p>
      <pre class="exp-snippet" data-testid="experiments-snippet"><code>{`import mltrail as mlflow

mlflow.set_tracking_uri("${window.location.origin}${window.location.pathname.replace(/\/$/, "")}")
mlflow.set_experiment("my-experiment")
with mlflow.start_run():
    mlflow.log_metric("loss", 0.42)`}</code></pre>
    </EmptyState>
  );
}

export function ExperimentsPage() {
  const { query } = useLocation();
  const search = query.get("q") ?? "";
  const sort = parseSort(query.get("sort"));
  const showDeleted = query.get("deleted") === "1";
  const [dialog, setDialog] = useState<Dialog | undefined>(undefined);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<{ id: string; name: string } | undefined>(undefined);
  const [rowLimit, setRowLimit] = useState(PAGE_ROWS);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const state = useAsync(() => loadAllExperiments(showDeleted ? "ALL" : "ACTIVE_ONLY"), [showDeleted]);
  const all = state.data ?? [];
  const rows = useMemo(() => sortExperiments(filterByName(all, search), sort), [all, search, sort]);
  const activeCount = all.filter((e) => e.lifecycle_stage === "active").length;
  const chosen = [...selected].filter((id) => all.some((e) => e.experiment_id === id && e.lifecycle_stage === "active"));
  const visible = rows.slice(0, rowLimit);
  const selectable = visible.filter((e) => e.lifecycle_stage === "active");
  const allChecked = selectable.length > 0 && selectable.every((e) => selected.has(e.experiment_id));

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const restore = async (experiment: Experiment) => {
    setActionError(undefined);
    try {
      await restoreExperiment(experiment.experiment_id);
      state.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const closeAndReload = () => {
    setDialog(undefined);
    state.reload();
  };

  return (
    <div class="experiments-page">
      <PageHeader title="Experiments"
        subtitle={state.data ? `${activeCount} experiment${activeCount === 1 ? "" : "s"}` : undefined}
        actions={
          <>
            <button class="btn" type="button" data-testid="compare-experiments" disabled={chosen.length < 2}
              title={chosen.length < 2 ? "Select two or more experiments" : undefined}
              onClick={() => compare(chosen)}>
              Compare experiments{chosen.length > 0 ? ` (${chosen.length})` : ""}
            </button>
            <button class="btn btn-primary" type="button" data-testid="create-experiment"
              onClick={() => setDialog({ kind: "create" })}>
              + Create experiment
            </button>
          </>
        } />
      <div class="toolbar">
        <input class="grow exp-search" type="search" placeholder="Search experiments by name" aria-label="Search experiments by name"
          data-testid="experiment-search" value={search}
          onInput={(e) => { setRowLimit(PAGE_ROWS); updateQuery({ q: (e.target as HTMLInputElement).value }); }} />
        <label class="exp-toggle">
          <input type="checkbox" checked={showDeleted} data-testid="show-deleted"
            onChange={(e) => updateQuery({ deleted: (e.target as HTMLInputElement).checked ? "1" : undefined })} />
          Show deleted
        </label>
      </div>
      {created && (
        <div class="exp-notice" role="status" data-testid="experiment-created">
          Created experiment <strong>{created.name}</strong>.
          <a href={href(routes.experiment(created.id))}>Open it →</a>
          <button class="btn btn-small btn-ghost" type="button" aria-label="Dismiss" onClick={() => setCreated(undefined)}>✕</button>
        </div>
      )}
      {actionError !== undefined && <ErrorBanner error={actionError} />}
      {state.error && <ErrorBanner error={state.error} onRetry={state.reload} />}
      {state.loading && !state.data && <Spinner label="Loading experiments…" />}
      {state.data && all.length === 0 && <GettingStarted />}
      {state.data && all.length > 0 && rows.length === 0 && (
        <EmptyState title="No matching experiments">
          No experiment name contains “{search}”.{" "}
          <button class="btn btn-small" type="button" onClick={() => updateQuery({ q: undefined })}>Clear search</button>
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div class="panel exp-panel">
          <table class="table exp-table" data-testid="experiments-table">
            <thead>
              <tr>
                <th class="exp-check">
                  <input type="checkbox" aria-label="Select all experiments" checked={allChecked}
                    disabled={selectable.length === 0}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      const next = new Set(selected);
                      for (const exp of selectable) on ? next.add(exp.experiment_id) : next.delete(exp.experiment_id);
                      setSelected(next);
                    }} />
                </th>
                <SortHeader label="Name" column="name" sort={sort} />
                <th>ID</th>
                <SortHeader label="Created" column="created" sort={sort} />
                <th>Last update</th>
                <th>Description</th>
                <th>Tags</th>
                <th class="exp-actions-col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {visible.map((exp) => {
                const deleted = exp.lifecycle_stage === "deleted";
                const preview = descriptionPreview(tagValue(exp.tags, "mlflow.note.content"));
                const classes = [deleted ? "exp-deleted" : "", selected.has(exp.experiment_id) && !deleted ? "selected" : "",
                  created?.id === exp.experiment_id ? "exp-new" : ""].filter(Boolean).join(" ");
                return (
                  <tr key={exp.experiment_id} class={classes} data-testid="experiment-row"
                    data-experiment-id={exp.experiment_id} data-stage={exp.lifecycle_stage}>
                    <td class="exp-check">
                      <input type="checkbox" aria-label={`Select ${exp.name}`} disabled={deleted}
                        checked={!deleted && selected.has(exp.experiment_id)}
                        onChange={(e) => toggle(exp.experiment_id, (e.target as HTMLInputElement).checked)} />
                    </td>
                    <td class="exp-name">
                      {deleted
                        ? <span class="muted" title="Deleted">{exp.name}</span>
                        : <a href={href(routes.experiment(exp.experiment_id))}>{exp.name}</a>}
                      {deleted && <span class="badge exp-deleted-badge">deleted</span>}
                    </td>
                    <td class="mono muted">{exp.experiment_id}</td>
                    <td class="exp-time" title={formatTime(exp.creation_time)}>{formatTime(exp.creation_time)}</td>
                    <td class="exp-time" title={formatTime(exp.last_update_time)}>{formatAgo(exp.last_update_time)}</td>
                    <td class="exp-desc" title={preview || undefined}>{preview || <span class="muted">—</span>}</td>
                    <td><TagChips experiment={exp} /></td>
                    <td class="exp-actions">
                      {deleted ? (
                        <button class="btn btn-small" type="button" data-testid="restore-experiment"
                          onClick={() => void restore(exp)}>Restore</button>
                      ) : (
                        <>
                          <button class="btn btn-small btn-ghost" type="button" data-testid="rename-experiment"
                            aria-label={`Rename ${exp.name}`} onClick={() => setDialog({ kind: "rename", experiment: exp })}>
                            Rename
                          </button>
                          <button class="btn btn-small btn-ghost danger" type="button" data-testid="delete-experiment"
                            aria-label={`Delete ${exp.name}`} onClick={() => setDialog({ kind: "delete", experiment: exp })}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {rows.length > visible.length && (
            <div class="exp-more">
              <span class="muted">Showing {visible.length} of {rows.length}.</span>
              <button class="btn btn-small" type="button" onClick={() => setRowLimit(rowLimit + PAGE_ROWS)}>Show more</button>
            </div>
          )}
        </div>
      )}
      {dialog?.kind === "create" && (
        <CreateExperimentDialog onClose={() => setDialog(undefined)}
          onCreated={(id, name) => { setCreated({ id, name }); closeAndReload(); }} />
      )}
      {dialog?.kind === "rename" && (
        <RenameExperimentDialog experiment={dialog.experiment} onClose={() => setDialog(undefined)} onDone={closeAndReload} />
      )}
      {dialog?.kind === "delete" && (
        <DeleteExperimentDialog experiment={dialog.experiment} onClose={() => setDialog(undefined)}
          onDone={() => {
            const next = new Set(selected);
            next.delete(dialog.experiment.experiment_id);
            setSelected(next);
            closeAndReload();
          }} />
      )}
    </div>
  );
}
