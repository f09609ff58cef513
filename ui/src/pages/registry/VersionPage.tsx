// #/models/:name/versions/:version: one model version: facts, stage, aliases, description,
// tags, signature, and links to the run that produced it.
import { useState } from "preact/hooks";
import {
  deleteModelVersion, deleteModelVersionTag, getModelVersion, getRegisteredModel,
  setModelVersionTag, updateModelVersion,
} from "../../api/registry";
import type { ModelVersion } from "../../api/types";
import { CopyButton, PageHeader, Spinner } from "../../components/common";
import { Description } from "../../components/Description";
import { TagEditor } from "../../components/TagEditor";
import { formatTime, userTags } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { href, navigate, routes } from "../../router";
import { AliasEditor } from "./AliasEditor";
import { RunLink, StageBadge, useRunInfo } from "./bits";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { allVersions } from "./data";
import { LoadError } from "./NotFound";
import { SignatureView } from "./SignatureView";
import { artifactPathInRun } from "./sources";
import { StageTransitionDialog } from "./StageTransitionDialog";
import { statusLabel } from "./VersionsTable";
import "./registry.css";

function SourceFacts({ version }: { version: ModelVersion }) {
  const runId = version.run_id || undefined;
  const { info } = useRunInfo(runId);
  const path = artifactPathInRun(version.source, runId, info?.artifact_uri ?? undefined);
  return (
    <>
      <dt>Source</dt>
      <dd>
        <span class="mono reg-source" data-testid="version-source">{version.source || "—"}</span>
        {version.source && <CopyButton text={version.source} />}
      </dd>
      <dt>Run</dt>
      <dd>
        <RunLink runId={runId} />
        {info && path !== undefined && (
          <>
            <span class="muted reg-sep" aria-hidden="true">·</span>
            <a data-testid="model-files-link" href={href(routes.run(info.experiment_id, info.run_id), { tab: "artifacts", path: path || undefined })}>
              See the model files
            </a>
          </>
        )}
      </dd>
      {version.run_link && (
        <>
          <dt>Run link</dt>
          <dd><span class="mono">{version.run_link}</span></dd>
        </>
      )}
    </>
  );
}

export function VersionPage({ name = "", version: number = "" }: { name?: string; version?: string } & Record<string, string>) {
  const version = useAsync((_signal) => getModelVersion(name, number), [name, number]);
  const model = useAsync((_signal) => getRegisteredModel(name), [name]);
  const siblings = useAsync((_signal) => allVersions(name), [name]);
  const [dialog, setDialog] = useState<"stage" | "delete" | undefined>(undefined);
  const crumbs = [
    { label: "Models", href: href(routes.models()) },
    { label: name, href: href(routes.model(name)) },
  ];
  const title = `Version ${number}`;
  if (version.error && !version.data) {
    return (
      <div class="reg-page">
        <PageHeader title={title} crumbs={crumbs} />
        <LoadError error={version.error} what={`Version ${number} of “${name}”`}
          back={model.error ? routes.models() : routes.model(name)}
          backLabel={model.error ? "Back to all models" : `Back to ${name}`} onRetry={version.reload} />
      </div>
    );
  }
  if (!version.data) {
    return <div class="reg-page"><PageHeader title={title} crumbs={crumbs} /><Spinner label="Loading version…" /></div>;
  }
  const v = version.data;
  const refresh = () => { version.reload(); model.reload(); siblings.reload(); };
  const aliases = model.data?.aliases ?? (v.aliases ?? []).map((alias) => ({ alias, version: v.version }));
  return (
    <div class="reg-page" data-testid="version-page">
      <PageHeader crumbs={crumbs}
        title={<span class="reg-title">{title} <StageBadge stage={v.current_stage} testId="version-stage" /></span>}
        subtitle={<>of <a href={href(routes.model(name))}>{name}</a> · registered {formatTime(v.creation_timestamp)}</>}
        actions={
          <>
            <button class="btn btn-primary" data-testid="transition-stage" onClick={() => setDialog("stage")}>Transition stage</button>
            <button class="btn btn-danger" data-testid="delete-version" onClick={() => setDialog("delete")}>Delete version</button>
          </>
        } />
      <div class="grid-2">
        <section class="panel" aria-labelledby="version-facts">
          <h2 id="version-facts">Details</h2>
          <dl class="facts" data-testid="version-facts">
            <dt>Model</dt><dd><a href={href(routes.model(name))}>{name}</a></dd>
            <dt>Version</dt><dd>{v.version}</dd>
            <dt>Stage</dt><dd><StageBadge stage={v.current_stage} /></dd>
            <dt>Registered</dt><dd>{formatTime(v.creation_timestamp)}</dd>
            <dt>Last updated</dt><dd>{formatTime(v.last_updated_timestamp)}</dd>
            <dt>Creator</dt><dd>{v.user_id || <span class="muted">—</span>}</dd>
            <dt>Status</dt>
            <dd>
              <span class={`reg-status reg-status-${(v.status ?? "READY").toLowerCase()}`}>{statusLabel(v.status)}</span>
              {v.status_message && <span class="muted"> — {v.status_message}</span>}
            </dd>
            <SourceFacts version={v} />
          </dl>
        </section>
        <div class="reg-stack">
          <section class="panel" aria-labelledby="version-aliases">
            <h2 id="version-aliases">Aliases</h2>
            <AliasEditor model={name} version={v.version} aliases={aliases} onChanged={refresh} />
            <div class="muted reg-hint">Load it with <code>models:/{name}@&lt;alias&gt;</code> or <code>models:/{name}/{v.version}</code>.</div>
          </section>
          <section class="panel" aria-labelledby="version-description">
            <h2 id="version-description">Description</h2>
            <div data-testid="version-description">
              <Description text={v.description ?? ""} placeholder="No description yet."
                onSave={async (text) => { await updateModelVersion(name, v.version, text); version.setData({ ...v, ...(await getModelVersion(name, v.version)) }); }} />
            </div>
          </section>
        </div>
      </div>
      <section class="panel" aria-labelledby="version-tags">
        <h2 id="version-tags">Tags</h2>
        <div data-testid="version-tags">
          <TagEditor tags={userTags(v.tags)} onChanged={version.reload}
            onSet={(key, value) => setModelVersionTag(name, v.version, key, value)}
            onDelete={(key) => deleteModelVersionTag(name, v.version, key)} />
        </div>
      </section>
      <SignatureView version={v} />
      {dialog === "stage" && (
        <StageTransitionDialog version={v} others={siblings.data ?? model.data?.latest_versions ?? []}
          onClose={() => setDialog(undefined)}
          onDone={(updated) => { setDialog(undefined); version.setData({ ...v, ...updated }); refresh(); }} />
      )}
      {dialog === "delete" && (
        <ConfirmDialog title={`Delete version ${v.version}`} confirmLabel="Delete version" onClose={() => setDialog(undefined)}
          onConfirm={async () => { await deleteModelVersion(name, v.version); navigate(routes.model(name)); }}>
          Delete version <strong>{v.version}</strong> of <strong>{name}</strong>?
          {(v.aliases ?? []).length > 0 && <> Its aliases ({(v.aliases ?? []).map((a) => `@${a}`).join(", ")}) are removed too.</>}
          {" "}The run and its artifacts stay. This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}
