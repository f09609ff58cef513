// #/models/:name: one registered model: description, tags, aliases and its versions.
import { useState } from "preact/hooks";
import {
  deleteRegisteredModel, deleteRegisteredModelTag, getRegisteredModel, setRegisteredModelTag,
  updateRegisteredModel,
} from "../../api/registry";
import { Description } from "../../components/Description";
import { ErrorBanner, PageHeader, Spinner } from "../../components/common";
import { TagEditor } from "../../components/TagEditor";
import { formatAgo, formatTime, userTags } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { href, navigate, routes } from "../../router";
import { AliasEditor } from "./AliasEditor";
import { aliasesByVersion } from "./aliases";
import { StageBadge } from "./bits";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { allVersions } from "./data";
import { LoadError } from "./NotFound";
import { RenameModelDialog } from "./RenameModelDialog";
import { VersionsTable } from "./VersionsTable";
import "./registry.css";

export function ModelPage({ name = "" }: { name?: string } & Record<string, string>) {
  const model = useAsync((_signal) => getRegisteredModel(name), [name]);
  const versions = useAsync((_signal) => allVersions(name), [name]);
  const [dialog, setDialog] = useState<"rename" | "delete" | undefined>(undefined);
  const crumbs = [{ label: "Models", href: href(routes.models()) }];

  if (model.error && !model.data) {
    return (
      <div class="reg-page">
        <PageHeader title={name} crumbs={crumbs} />
        <LoadError error={model.error} what={`The registered model “${name}”`} back={routes.models()}
          backLabel="Back to all models" onRetry={model.reload} />
      </div>
    );
  }
  if (!model.data) {
    return <div class="reg-page"><PageHeader title={name} crumbs={crumbs} /><Spinner label="Loading model…" /></div>;
  }
  const m = model.data;
  const aliases = m.aliases ?? [];
  const versionList = versions.data ?? [];
  const live = versionList.filter((v) => v.current_stage === "Production" || v.current_stage === "Staging");
  const reloadAll = () => { model.reload(); versions.reload(); };
  return (
    <div class="reg-page" data-testid="model-page">
      <PageHeader crumbs={crumbs}
        title={<span data-testid="model-name">{m.name}</span>}
        subtitle={<>Created {formatTime(m.creation_timestamp)} · last modified {formatAgo(m.last_updated_timestamp)}{m.user_id ? ` · by ${m.user_id}` : ""}</>}
        actions={
          <>
            <button class="btn" data-testid="rename-model" onClick={() => setDialog("rename")}>Rename</button>
            <button class="btn btn-danger" data-testid="delete-model" onClick={() => setDialog("delete")}>Delete model</button>
          </>
        } />
      <div class="reg-summary">
        <div class="reg-stat"><span class="reg-stat-value" data-testid="version-count">{versions.data ? versionList.length : "…"}</span><span class="muted">versions</span></div>
        <div class="reg-stat">
          <span class="reg-stat-value">
            {live.length ? live.map((v) => (
              <a key={v.version} class="reg-plain-link" href={href(routes.modelVersion(m.name, v.version))}>
                <StageBadge stage={v.current_stage} /> <span class="reg-stage-version">v{v.version}</span>
              </a>
            )) : <span class="muted">—</span>}
          </span>
          <span class="muted">in Staging / Production</span>
        </div>
        <div class="reg-stat"><span class="reg-stat-value">{aliases.length}</span><span class="muted">alias{aliases.length === 1 ? "" : "es"}</span></div>
      </div>
      <div class="grid-2">
        <section class="panel" aria-labelledby="model-description">
          <h2 id="model-description">Description</h2>
          <div data-testid="model-description">
            <Description text={m.description ?? ""} placeholder="No description yet."
              onSave={async (text) => { model.setData(await updateAndGet(m.name, text)); }} />
          </div>
        </section>
        <section class="panel" aria-labelledby="model-aliases">
          <h2 id="model-aliases">Aliases</h2>
          <AliasEditor model={m.name} aliases={aliases} versions={versionList.map((v) => v.version)} onChanged={model.reload} />
        </section>
      </div>
      <section class="panel" aria-labelledby="model-versions">
        <div class="reg-panel-head">
          <h2 id="model-versions">Versions</h2>
          <button class="btn btn-small btn-ghost" onClick={reloadAll} disabled={versions.loading}>Refresh</button>
        </div>
        {versions.error && <ErrorBanner error={versions.error} onRetry={versions.reload} />}
        {!versions.error && !versions.data && <Spinner label="Loading versions…" />}
        {versions.data && <VersionsTable model={m.name} versions={versionList} aliases={aliasesByVersion(aliases)} />}
      </section>
      <section class="panel" aria-labelledby="model-tags">
        <h2 id="model-tags">Tags</h2>
        <TagEditor tags={userTags(m.tags)} onChanged={model.reload}
          onSet={(key, value) => setRegisteredModelTag(m.name, key, value)}
          onDelete={(key) => deleteRegisteredModelTag(m.name, key)} />
      </section>
      {dialog === "rename" && (
        <RenameModelDialog name={m.name} onClose={() => setDialog(undefined)}
          onRenamed={(newName) => navigate(routes.model(newName), {}, true)} />
      )}
      {dialog === "delete" && (
        <ConfirmDialog title="Delete model" confirmLabel="Delete model" onClose={() => setDialog(undefined)}
          onConfirm={async () => { await deleteRegisteredModel(m.name); navigate(routes.models()); }}>
          Delete <strong>{m.name}</strong>
          {versionList.length ? <> and its {versionList.length} version{versionList.length === 1 ? "" : "s"}</> : null}?
          Aliases and tags go with it. This cannot be undone; the runs and their artifacts stay.
        </ConfirmDialog>
      )}
    </div>
  );
}

async function updateAndGet(name: string, description: string) {
  await updateRegisteredModel(name, description);
  return getRegisteredModel(name);
}
