// The versions of one registered model, newest first; long lists show 100 rows at a time.
import { useState } from "preact/hooks";
import type { ModelVersion } from "../../api/types";
import { EmptyState } from "../../components/common";
import { formatAgo, formatTime } from "../../lib/format";
import { href, routes } from "../../router";
import { RunLink, StageBadge } from "./bits";
import { descriptionPreview } from "./text";

const STEP = 100;

export function VersionsTable({ model, versions, aliases }: {
  model: string;
  versions: ModelVersion[];
  aliases: Map<string, string[]>;
}) {
  const [limit, setLimit] = useState(STEP);
  if (!versions.length) {
    return (
      <EmptyState title="No versions yet">
        Register one from Python with <code>{`mlflow.register_model("runs:/<run_id>/model", "${model}")`}</code>,
        or with the <strong>Register model</strong> button of a run that logged a model.
      </EmptyState>
    );
  }
  return (
    <>
      <div class="reg-scroll">
        <table class="table" data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th><th scope="col">Registered</th><th scope="col">Stage</th>
              <th scope="col">Aliases</th><th scope="col">Source run</th><th scope="col">Description</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {versions.slice(0, limit).map((v) => (
              <tr key={v.version} data-testid="version-row" data-version={v.version}>
                <td class="reg-nowrap"><a href={href(routes.modelVersion(model, v.version))} data-testid="version-link">Version {v.version}</a></td>
                <td class="reg-nowrap" title={formatTime(v.creation_timestamp)}>{formatAgo(v.creation_timestamp)}</td>
                <td><StageBadge stage={v.current_stage} /></td>
                <td>
                  {(aliases.get(v.version) ?? []).length
                    ? <span class="reg-chips">{(aliases.get(v.version) ?? []).map((a) => <span key={a} class="badge alias" data-testid="alias-badge">@{a}</span>)}</span>
                    : <span class="muted">—</span>}
                </td>
                <td><RunLink runId={v.run_id || undefined} /></td>
                <td class="reg-preview">{descriptionPreview(v.description) || <span class="muted">—</span>}</td>
                <td class="reg-nowrap">
                  <span class={`reg-status reg-status-${(v.status ?? "READY").toLowerCase()}`} title={v.status_message}>
                    {statusLabel(v.status)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {versions.length > limit && (
        <div class="reg-load-more">
          <span class="muted">Showing {limit} of {versions.length} versions.</span>
          <button class="btn" onClick={() => setLimit(limit + STEP)}>Show {Math.min(STEP, versions.length - limit)} more</button>
        </div>
      )}
    </>
  );
}

export function statusLabel(status: ModelVersion["status"]): string {
  if (status === "PENDING_REGISTRATION") return "Pending";
  if (status === "FAILED_REGISTRATION") return "Failed";
  return "Ready";
}
