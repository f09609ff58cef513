// The Overview tab: facts about the run, its parent and children, datasets, logged models,
// description, params, metrics and tags.
import { deleteRunTag, getRun, searchRuns, setRunTag } from "../../api/tracking";
import type { Experiment, KeyValue, Run } from "../../api/types";
import { CopyButton, StatusBadge } from "../../components/common";
import { Description } from "../../components/Description";
import { TagEditor } from "../../components/TagEditor";
import { formatDuration, formatTime, tagValue, userTags } from "../../lib/format";
import { useAsync } from "../../lib/useAsync";
import { href, routes } from "../../router";
import type { LoggedModel } from "../../api/loggedModels";
import { MetricsTable, ParamsTable } from "./RunTables";

const NOTE_TAG = "mlflow.note.content";
const PARENT_TAG = "mlflow.parentRunId";

function shortSource(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts.length > 2 ? `…/${parts.slice(-2).join("/")}` : name;
}

function Facts({ run, experiment, tags }: { run: Run; experiment?: Experiment; tags: KeyValue[] }) {
  const info = run.info;
  const sourceName = tagValue(tags, "mlflow.source.name");
  const sourceType = tagValue(tags, "mlflow.source.type");
  const commit = tagValue(tags, "mlflow.source.git.commit");
  const branch = tagValue(tags, "mlflow.source.git.branch");
  const repo = tagValue(tags, "mlflow.source.git.repoURL");
  const entryPoint = tagValue(tags, "mlflow.project.entryPoint");
  const user = info.user_id || tagValue(tags, "mlflow.user");
  const running = info.status === "RUNNING" || info.status === "SCHEDULED";
  const duration = info.start_time
    ? (info.end_time ? info.end_time - info.start_time : running ? Date.now() - info.start_time : undefined)
    : undefined;
  return (
    <dl class="facts run-facts" data-testid="run-facts">
      <dt>Run ID</dt>
      <dd><code data-testid="run-id">{info.run_id}</code> <CopyButton text={info.run_id} /></dd>
      <dt>Experiment</dt>
      <dd>
        <a href={href(routes.experiment(info.experiment_id))}>{experiment?.name ?? info.experiment_id}</a>
        {experiment && <span class="muted"> (ID {info.experiment_id})</span>}
      </dd>
      <dt>Status</dt>
      <dd><StatusBadge status={info.status} /></dd>
      <dt>Started</dt>
      <dd>{formatTime(info.start_time)}</dd>
      <dt>Ended</dt>
      <dd>{info.end_time ? formatTime(info.end_time) : running ? <span class="muted">still running</span> : "—"}</dd>
      <dt>Duration</dt>
      <dd>{formatDuration(duration)}{running && duration !== undefined ? <span class="muted"> so far</span> : null}</dd>
      <dt>User</dt>
      <dd data-testid="run-user">{user || <span class="muted">unknown</span>}</dd>
      <dt>Source</dt>
      <dd>
        {sourceName ? <span class="mono" title={sourceName}>{shortSource(sourceName)}</span> : <span class="muted">unknown</span>}
        {sourceType && <span class="badge source-type">{sourceType}</span>}
      </dd>
      {commit && (
        <>
          <dt>Git commit</dt>
          <dd>
            <code title={commit} data-testid="git-commit">{commit.slice(0, 8)}</code>
            {branch && <span class="muted"> on {branch}</span>}
            {repo && <span class="muted"> · {repo}</span>}
          </dd>
        </>
      )}
      {entryPoint && <><dt>Entry point</dt><dd class="mono">{entryPoint}</dd></>}
      <dt>Lifecycle</dt>
      <dd>{info.lifecycle_stage === "deleted" ? <span class="badge deleted">deleted</span> : "active"}</dd>
      <dt>Artifact URI</dt>
      <dd><code class="wrap-anywhere">{info.artifact_uri || "—"}</code>{info.artifact_uri && <CopyButton text={info.artifact_uri} />}</dd>
    </dl>
  );
}

function ParentLink({ parentId, experimentId }: { parentId: string; experimentId: string }) {
  const parent = useAsync(() => getRun(parentId), [parentId]);
  const name = parent.data?.info.run_name || parentId;
  const expId = parent.data?.info.experiment_id ?? experimentId;
  return (
    <div class="relation" data-testid="parent-run">
      <span class="muted">Parent run</span>{" "}
      <a href={href(routes.run(expId, parentId))}>{parent.loading ? parentId.slice(0, 8) + "…" : name}</a>
      {parent.error && <span class="muted"> (not found)</span>}
    </div>
  );
}

function Related({ run, models }: { run: Run; models: Map<string, LoggedModel> }) {
  const runId = run.info.run_id;
  const experimentId = run.info.experiment_id;
  const parentId = tagValue(run.data.tags, PARENT_TAG);
  const children = useAsync(
    () => searchRuns({
      experimentIds: [experimentId],
      filter: `tags.${PARENT_TAG} = '${runId}'`,
      maxResults: 200,
      orderBy: ["attributes.start_time ASC"],
    }),
    [runId, experimentId],
  );
  const runs = [...(children.data?.runs ?? [])].sort((a, b) =>
    (a.info.start_time ?? 0) - (b.info.start_time ?? 0) || (a.info.run_name ?? "").localeCompare(b.info.run_name ?? ""));
  const nothing = !parentId && models.size === 0 && !children.loading && !children.error && runs.length === 0;
  return (
    <section class="panel relations">
      <h2>Related</h2>
      {parentId && <ParentLink parentId={parentId} experimentId={experimentId} />}
      {children.loading && <div class="relation muted">Looking for child runs…</div>}
      {children.error && <div class="relation muted">Could not load child runs: {children.error.message}</div>}
      {runs.length > 0 && (
        <div class="relation" data-testid="child-runs">
          <span class="muted">Child runs ({runs.length}{children.data?.next_page_token ? "+" : ""})</span>
          <ul class="run-links">
            {runs.map((r) => (
              <li key={r.info.run_id}>
                <a href={href(routes.run(r.info.experiment_id, r.info.run_id))}>{r.info.run_name || r.info.run_id}</a>
                <StatusBadge status={r.info.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <LoggedModels run={run} models={models} />
      {nothing && <div class="muted">No parent run, child runs or logged models.</div>}
    </section>
  );
}

function Datasets({ run }: { run: Run }) {
  const inputs = run.inputs?.dataset_inputs ?? [];
  if (inputs.length === 0) return null;
  return (
    <section class="panel" data-testid="run-datasets">
      <h2>Datasets <span class="count">{inputs.length}</span></h2>
      <table class="kv-table">
        <thead><tr><th>Name</th><th>Digest</th><th>Source</th><th>Context</th></tr></thead>
        <tbody>
          {inputs.map((d, i) => (
            <tr key={i}>
              <td>{d.dataset.name}</td>
              <td class="mono">{d.dataset.digest}</td>
              <td class="mono wrap" title={d.dataset.source}>{d.dataset.source_type ?? ""}</td>
              <td>{tagValue(d.tags, "mlflow.data.context") ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LoggedModels({ run, models }: { run: Run; models: Map<string, LoggedModel> }) {
  if (models.size === 0) return null;
  return (
    <div class="relation" data-testid="logged-models">
      <span class="muted">Logged models</span>
      <ul class="run-links">
        {[...models].map(([folder, m]) => (
          <li key={m.model_id}>
            <a href={href(routes.run(run.info.experiment_id, run.info.run_id), { tab: "artifacts", path: `${folder}/MLmodel` })}>
              {m.name || m.model_id}
            </a>
            <code class="muted">{m.model_id}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Overview({ run, experiment, models, onChanged }: {
  run: Run;
  experiment?: Experiment;
  models: Map<string, LoggedModel>;
  onChanged: () => void;
}) {
  const tags = run.data.tags ?? [];
  const runId = run.info.run_id;
  const systemTags = tags.filter((t) => t.key.startsWith("mlflow.")).sort((a, b) => a.key.localeCompare(b.key));
  return (
    <div class="run-overview" data-testid="run-overview">
      <div class="overview-top">
        <section class="panel">
          <h2>About this run</h2>
          <Facts run={run} experiment={experiment} tags={tags} />
        </section>
        <div class="overview-side">
          <section class="panel" data-testid="run-description">
            <h2>Description</h2>
            <Description text={tagValue(tags, NOTE_TAG) ?? ""} placeholder="No description yet."
              onSave={async (text) => { await setRunTag(runId, NOTE_TAG, text); onChanged(); }} />
          </section>
          <Related run={run} models={models} />
        </div>
      </div>
      <Datasets run={run} />
      <div class="grid-2">
        <ParamsTable params={run.data.params ?? []} />
        <MetricsTable runId={runId} metrics={run.data.metrics ?? []} />
      </div>
      <section class="panel" data-testid="run-tags">
        <h2>Tags</h2>
        <TagEditor tags={userTags(tags)} onSet={(k, v) => setRunTag(runId, k, v)} onDelete={(k) => deleteRunTag(runId, k)}
          onChanged={onChanged} />
        <details class="system-tags" data-testid="system-tags">
          <summary>System tags ({systemTags.length})</summary>
          <TagEditor tags={systemTags} readOnly onSet={async () => undefined} onDelete={async () => undefined} onChanged={() => undefined} />
        </details>
      </section>
    </div>
  );
}
