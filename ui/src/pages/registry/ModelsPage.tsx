// #/models: the registered models, searchable by name, sortable, paged with "Load more".
import { useEffect, useState } from "preact/hooks";
import { searchRegisteredModels } from "../../api/registry";
import type { ModelVersion, RegisteredModel } from "../../api/types";
import { EmptyState, ErrorBanner, PageHeader, Spinner } from "../../components/common";
import { formatAgo, formatTime, userTags } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { href, navigate, routes, updateQuery, useLocation } from "../../router";
import { AliasBadge, StageBadge, TagChips } from "./bits";
import { CreateModelDialog } from "./CreateModelDialog";
import { nameContainsFilter } from "./filters";
import { compareVersions, descriptionPreview } from "./text";
import "./registry.css";

const PAGE_SIZE = 100;
const SORTS: Record<string, { label: string; orderBy: string[] }> = {
  updated: { label: "Last modified", orderBy: ["last_updated_timestamp DESC", "name ASC"] },
  name: { label: "Name (A–Z)", orderBy: ["name ASC"] },
  "name-desc": { label: "Name (Z–A)", orderBy: ["name DESC"] },
};

interface Listing { models: RegisteredModel[]; nextToken?: string }

function latestVersion(model: RegisteredModel): ModelVersion | undefined {
  return [...(model.latest_versions ?? [])].sort((a, b) => compareVersions(b.version, a.version))[0];
}

function StageCell({ model, stage }: { model: RegisteredModel; stage: "Staging" | "Production" }) {
  const versions = (model.latest_versions ?? []).filter((v) => v.current_stage === stage);
  if (!versions.length) return <span class="muted">—</span>;
  return (
    <span class="reg-chips">
      {versions.map((v) => (
        <a key={v.version} href={href(routes.modelVersion(model.name, v.version))} class="reg-plain-link">
          <StageBadge stage={stage} /> <span class="reg-stage-version">v{v.version}</span>
        </a>
      ))}
    </span>
  );
}

function ModelRow({ model }: { model: RegisteredModel }) {
  const latest = latestVersion(model);
  const aliases = [...(model.aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias));
  return (
    <tr data-testid="model-row" data-name={model.name}>
      <td class="reg-name-cell"><a href={href(routes.model(model.name))} data-testid="model-link">{model.name}</a></td>
      <td data-testid="latest-version">
        {latest ? <a href={href(routes.modelVersion(model.name, latest.version))}>Version {latest.version}</a> : <span class="muted">—</span>}
      </td>
      <td>
        {aliases.length ? (
          <span class="reg-chips">{aliases.map((a) => <AliasBadge key={a.alias} alias={a.alias} version={a.version} />)}</span>
        ) : <span class="muted">—</span>}
      </td>
      <td><StageCell model={model} stage="Staging" /></td>
      <td><StageCell model={model} stage="Production" /></td>
      <td class="reg-nowrap" title={formatTime(model.last_updated_timestamp)}>{formatAgo(model.last_updated_timestamp)}</td>
      <td class="reg-preview">{descriptionPreview(model.description) || <span class="muted">—</span>}</td>
      <td><TagChips tags={userTags(model.tags)} /></td>
    </tr>
  );
}

function RegisterHelp() {
  return (
    <EmptyState title="No registered models yet">
      <div class="reg-help" data-testid="models-empty">
        <p>Register a model logged by a run, from Python:</p>
        <pre class="reg-code">{`import mlflow\nmlflow.register_model("runs:/<run_id>/model", "my-model")`}</pre>
        <p>or open a run that logged a model and press its <strong>Register model</strong> button.
          You can also create an empty model with <strong>Create model</strong> and add versions later.</p>
      </div>
    </EmptyState>
  );
}

export function ModelsPage() {
  const { query } = useLocation();
  const search = query.get("q") ?? "";
  const sortKey = SORTS[query.get("sort") ?? ""] ? (query.get("sort") as string) : "updated";
  const [draft, setDraft] = useState(search);
  const [creating, setCreating] = useState(false);
  const [more, setMore] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const filter = nameContainsFilter(search);

  useEffect(() => {
    if (search !== draft.trim()) setDraft(search); // back/forward changed the URL
  }, [search]);
  useEffect(() => {
    if (draft.trim() === search.trim()) return;
    const timer = window.setTimeout(() => updateQuery({ q: draft.trim() || undefined }), 250);
    return () => window.clearTimeout(timer);
  }, [draft]);

  const listing = useAsync<Listing>(async () => {
    const page = await searchRegisteredModels({ filter, maxResults: PAGE_SIZE, orderBy: SORTS[sortKey].orderBy });
    return { models: page.registered_models, nextToken: page.next_page_token || undefined };
  }, [filter, sortKey]);

  const loadMore = async () => {
    const current = listing.data;
    if (!current?.nextToken) return;
    setMore({ busy: true });
    try {
      const page = await searchRegisteredModels({ filter, maxResults: PAGE_SIZE, orderBy: SORTS[sortKey].orderBy, pageToken: current.nextToken });
      listing.setData({ models: [...current.models, ...page.registered_models], nextToken: page.next_page_token || undefined });
      setMore({ busy: false });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };

  const models = listing.data?.models ?? [];
  const count = listing.data ? `${models.length}${listing.data.nextToken ? "+" : ""} model${models.length === 1 && !listing.data.nextToken ? "" : "s"}` : undefined;
  return (
    <div class="reg-page">
      <PageHeader title="Registered models" subtitle={count}
        actions={<button class="btn btn-primary" data-testid="create-model" onClick={() => setCreating(true)}>+ Create model</button>} />
      <div class="toolbar">
        <input class="grow" type="search" data-testid="models-search" aria-label="Search models by name"
          placeholder="Search by name…" value={draft}
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === "Enter") updateQuery({ q: draft.trim() || undefined }); }} />
        <label class="reg-inline-label">
          Sort by
          <select data-testid="models-sort" value={sortKey} onChange={(e) => updateQuery({ sort: (e.target as HTMLSelectElement).value === "updated" ? undefined : (e.target as HTMLSelectElement).value })}>
            {Object.entries(SORTS).map(([key, s]) => <option key={key} value={key}>{s.label}</option>)}
          </select>
        </label>
      </div>
      {listing.error && <ErrorBanner error={listing.error} onRetry={listing.reload} />}
      {!listing.error && listing.loading && !listing.data && <Spinner label="Loading models…" />}
      {listing.data && models.length === 0 && (filter
        ? <EmptyState title="No models match">No registered model name contains “{search}”. <button class="btn btn-small" onClick={() => { setDraft(""); updateQuery({ q: undefined }); }}>Clear search</button></EmptyState>
        : <RegisterHelp />)}
      {models.length > 0 && (
        <div class={`panel reg-table-panel ${listing.loading ? "reg-stale" : ""}`}>
          <table class="table" data-testid="models-table">
            <thead>
              <tr>
                <th scope="col">Name</th><th scope="col">Latest version</th><th scope="col">Aliases</th>
                <th scope="col">Staging</th><th scope="col">Production</th><th scope="col">Last modified</th>
                <th scope="col">Description</th><th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>{models.map((m) => <ModelRow key={m.name} model={m} />)}</tbody>
          </table>
        </div>
      )}
      {listing.data?.nextToken && (
        <div class="reg-load-more">
          <button class="btn" data-testid="load-more-models" disabled={more.busy} onClick={loadMore}>
            {more.busy ? "Loading…" : "Load more"}
          </button>
        </div>
      )}
      {more.error !== undefined && <ErrorBanner error={more.error} onRetry={loadMore} />}
      {creating && <CreateModelDialog onClose={() => setCreating(false)} onCreated={(name) => navigate(routes.model(name))} />}
    </div>
  );
}
