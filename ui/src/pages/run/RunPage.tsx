// One run: header (inline rename, status, delete/restore) and three tabs kept in the URL:
// Overview, Metrics (a chart per metric) and Artifacts (tree + previews + registering).
import { useState } from "preact/hooks";
import { MetricChartsGrid } from "../../charts/MetricChart";
import { ApiError } from "../../api/http";
import { deleteRun, getExperiment, getRun, listArtifacts, renameRun, restoreRun } from "../../api/tracking";
import type { Run } from "../../api/types";
import { EmptyState, ErrorBanner, PageHeader, Spinner, StatusBadge } from "../../components/common";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Tabs, useTab } from "../../components/Tabs";
import { formatAgo } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { href, routes } from "../../router";
import { ArtifactBrowser } from "./ArtifactBrowser";
import { modelFolders } from "./artifactTree";
import { Overview } from "./Overview";
import { runLoggedModels, type LoggedModel } from "../../api/loggedModels";
import "./run.css";

const TABS = [
  { id: "overview", label: "Overview" },
  { id: "metrics", label: "Metrics" },
  { id: "artifacts", label: "Artifacts" },
];

function RunName({ run, onRenamed }: { run: Run; onRenamed: () => void }) {
  const name = run.info.run_name || run.info.run_id;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  if (!editing) {
    return (
      <span class="run-name">
        <span data-testid="run-name">{name}</span>
        <button class="btn btn-small btn-ghost rename-btn" data-testid="rename-run" aria-label="Rename run"
          title="Rename run" onClick={() => { setDraft(run.info.run_name ?? ""); setError(undefined); setEditing(true); }}>
          ✎ Rename
        </button>
      </span>
    );
  }
  const save = async (event: Event) => {
    event.preventDefault();
    const next = draft.trim();
    if (!next || next === run.info.run_name) { setEditing(false); return; }
    setBusy(true);
    try {
      await renameRun(run.info.run_id, next);
      setEditing(false);
      onRenamed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="rename-form" onSubmit={save}>
      <input aria-label="Run name" data-testid="rename-input" value={draft} maxLength={250} autoFocus
        onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => { if (e.key === "Escape") setEditing(false); }} />
      <button class="btn btn-primary btn-small" type="submit" disabled={busy || !draft.trim()}>Save</button>
      <button class="btn btn-small" type="button" onClick={() => setEditing(false)}>Cancel</button>
      {error !== undefined && <span class="field-error">{error instanceof Error ? error.message : String(error)}</span>}
    </form>
  );
}

function DeleteDialog({ name, onConfirm, onClose }: { name: string; onConfirm: () => Promise<void>; onClose: () => void }) {
  return (
    <ConfirmDialog title="Delete run" confirmLabel="Delete" testId="confirm-delete-run" onConfirm={onConfirm} onClose={onClose}>
      <p>Delete run <strong>{name}</strong>? It moves to the deleted runs of its experiment and can be restored until the server's garbage collection removes it.</p>
    </ConfirmDialog>
  );
}

export function RunPage({ experimentId = "", runId = "" }: { experimentId?: string; runId?: string }) {
  const runState = useAsync(async () => (await getRun(runId)) as Run, [runId]);
  const run = runState.data;
  const expId = run?.info.experiment_id ?? experimentId;
  const experiment = useAsync(() => getExperiment(expId), [expId]);
  const outputsKey = (run?.outputs?.model_outputs ?? []).map((o) => o.model_id).join(",");
  // The logged models' folders in the artifact tree; `key` tells which run state they match.
  const foldersKey = run ? `${runId}:${outputsKey}` : "";
  const folders = useAsync(async (signal) => {
    const none = { key: foldersKey, map: new Map<string, LoggedModel>() };
    if (!run || !outputsKey) return none;
    const models = await runLoggedModels(run, signal);
    if (models.length === 0) return none;
    const root = await listArtifacts(runId).catch(() => []);
    return { key: foldersKey, map: modelFolders(models, root) };
  }, [foldersKey]);
  const modelMap = folders.data?.map ?? new Map<string, LoggedModel>();
  const foldersReady = !!run && (folders.data?.key === foldersKey || (!!folders.error && !folders.loading));
  const tab = useTab(TABS);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<unknown>(undefined);

  const crumbs = [
    { label: "Experiments", href: href(routes.experiments()) },
    { label: experiment.data?.name ?? `Experiment ${expId}`, href: href(routes.experiment(expId)) },
  ];
  if (!run) {
    if (runState.error) {
      const missing = runState.error instanceof ApiError && runState.error.errorCode === "RESOURCE_DOES_NOT_EXIST";
      return (
        <div class="run-page">
          <PageHeader title="Run" crumbs={crumbs} />
          {missing ? (
            <EmptyState title="Run not found">
              No run has the ID <code>{runId}</code>. <a href={crumbs[1].href}>Back to the experiment</a>.
            </EmptyState>
          ) : <ErrorBanner error={runState.error} onRetry={runState.reload} />}
        </div>
      );
    }
    return <div class="run-page"><PageHeader title="Run" crumbs={crumbs} /><Spinner label="Loading run…" /></div>;
  }

  const deleted = run.info.lifecycle_stage === "deleted";
  const name = run.info.run_name || run.info.run_id;
  const metricKeys = [...new Set((run.data.metrics ?? []).map((m) => m.key))].sort();
  const restore = async () => {
    setActionError(undefined);
    try {
      await restoreRun(runId);
      runState.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  const tabs = TABS.map((t) => (t.id === "metrics" ? { ...t, label: `Metrics (${metricKeys.length})` } : t));

  return (
    <div class="run-page" data-testid="run-page">
      <PageHeader
        crumbs={crumbs}
        title={<RunName run={run} onRenamed={runState.reload} />}
        subtitle={
          <span class="run-subtitle">
            <StatusBadge status={run.info.status} />
            {deleted && <span class="badge deleted" data-testid="run-deleted">deleted</span>}
            <span>started {formatAgo(run.info.start_time)}</span>
            {run.info.user_id && <span>by {run.info.user_id}</span>}
          </span>
        }
        actions={deleted
          ? <button class="btn" data-testid="restore-run" onClick={restore}>Restore run</button>
          : <button class="btn danger" data-testid="delete-run" onClick={() => setConfirmDelete(true)}>Delete run</button>}
      />
      {deleted && (
        <div class="notice" role="status">This run is deleted. It is hidden from its experiment's run list until you restore it.</div>
      )}
      {actionError !== undefined && <ErrorBanner error={actionError} />}
      <Tabs tabs={tabs} />
      {tab === "overview" && (
        <Overview run={run} experiment={experiment.data} models={modelMap} onChanged={runState.reload} />
      )}
      {tab === "metrics" && (
        metricKeys.length === 0
          ? <EmptyState title="No metrics">This run has not logged any metrics.</EmptyState>
          : (
            <div class="run-metrics-tab" data-testid="run-metrics-tab">
              <MetricChartsGrid metricKeys={metricKeys}
                series={[{ runId, runName: name, startTime: run.info.start_time }]} urlState />
            </div>
          )
      )}
      {tab === "artifacts" && (
        !foldersReady ? <Spinner label="Loading artifacts…" />
          : <ArtifactBrowser key={foldersKey} runId={runId} folders={modelMap} artifactUri={run.info.artifact_uri} />
      )}
      {confirmDelete && (
        <DeleteDialog name={name} onClose={() => setConfirmDelete(false)} onConfirm={async () => {
          await deleteRun(runId);
          setConfirmDelete(false);
          runState.reload();
        }} />
      )}
    </div>
  );
}
