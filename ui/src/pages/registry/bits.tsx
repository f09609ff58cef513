// Small pieces shared by the registry pages: stage and alias badges, run links, tag chips.
import { useEffect, useState } from "preact/hooks";
import type { RunInfo, Stage } from "../../api/types";
import { href, routes } from "../../router";
import { runInfo } from "./data";

export const STAGES: Stage[] = ["None", "Staging", "Production", "Archived"];

export function StageBadge({ stage, testId }: { stage: string | undefined; testId?: string }) {
  const value = stage || "None";
  return <span class={`badge stage-${value.toLowerCase()}`} data-testid={testId}>{value}</span>;
}

export function AliasBadge({ alias, version, testId = "alias-badge" }: { alias: string; version?: string; testId?: string }) {
  return (
    <span class="badge alias" data-testid={testId} title={version ? `@${alias} → version ${version}` : `@${alias}`}>
      @{alias}{version !== undefined && <span class="reg-alias-version"> → v{version}</span>}
    </span>
  );
}

/** The run's info, looked up lazily (undefined while loading, null when missing). */
export function useRunInfo(runId: string | undefined): { info: RunInfo | null | undefined; error?: unknown } {
  const [state, setState] = useState<{ info: RunInfo | null | undefined; error?: unknown }>({ info: undefined });
  useEffect(() => {
    if (!runId) return;
    let live = true;
    setState({ info: undefined });
    runInfo(runId).then(
      (info) => { if (live) setState({ info }); },
      (error: unknown) => { if (live) setState({ info: null, error }); },
    );
    return () => { live = false; };
  }, [runId]);
  return state;
}

/** A link to the run page once the run's experiment is known; the id until then. */
export function RunLink({ runId, query }: { runId: string | undefined; query?: Record<string, string> }) {
  const { info, error } = useRunInfo(runId);
  if (!runId) return <span class="muted">—</span>;
  const short = runId.length > 12 ? `${runId.slice(0, 8)}…` : runId;
  if (info) {
    return (
      <a href={href(routes.run(info.experiment_id, runId), query)} title={runId} data-testid="run-link">
        {info.run_name || short}
      </a>
    );
  }
  if (info === null) {
    return <span class="mono muted" title={error ? String(error) : "The run does not exist any more."}>{short} (run not found)</span>;
  }
  return <span class="mono muted" title={runId}>{short}</span>;
}

export function TagChips({ tags, max = 3 }: { tags: { key: string; value: string }[]; max?: number }) {
  if (!tags.length) return <span class="muted">—</span>;
  return (
    <span class="reg-chips">
      {tags.slice(0, max).map((t) => (
        <span key={t.key} class="reg-chip" title={`${t.key}: ${t.value}`}>
          <span class="reg-chip-key">{t.key}</span>{t.value !== "" && <span class="reg-chip-value">{t.value}</span>}
        </span>
      ))}
      {tags.length > max && <span class="muted reg-more">+{tags.length - max}</span>}
    </span>
  );
}
