// Move a model version to another stage; optionally archive the versions already there.
import { useState } from "preact/hooks";
import { transitionStage } from "../../api/registry";
import type { ModelVersion, Stage } from "../../api/types";
import { ErrorBanner } from "../../components/common";
import { Modal } from "../../components/Modal";
import { STAGES, StageBadge } from "./bits";

const HINTS: Record<Stage, string> = {
  None: "Not in any stage.",
  Staging: "Being validated before production.",
  Production: "Serving; what deployments should load.",
  Archived: "Retired, kept for reference.",
};

export function StageTransitionDialog({ version, others, onClose, onDone }: {
  version: ModelVersion;
  /** Other versions of the model (to name those an archive would affect). */
  others: ModelVersion[];
  onClose: () => void;
  onDone: (updated: ModelVersion) => void;
}) {
  const current = version.current_stage ?? "None";
  const [stage, setStage] = useState<Stage>(current === "Production" ? "Archived" : current === "Staging" ? "Production" : "Staging");
  const [archive, setArchive] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const canArchive = stage === "Staging" || stage === "Production";
  const affected = others.filter((v) => v.version !== version.version && v.current_stage === stage);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = (await transitionStage(version.name, version.version, stage, canArchive && archive)) as { model_version?: ModelVersion };
      onDone(body.model_version ?? { ...version, current_stage: stage });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={`Transition version ${version.version}`} onClose={onClose}>
      <form class="reg-form" onSubmit={submit} data-testid="stage-dialog">
        <div class="muted">Currently <StageBadge stage={current} />. Stages are deprecated in favour of aliases, but remain supported.</div>
        <fieldset class="reg-stage-options">
          <legend>New stage</legend>
          {STAGES.map((s) => (
            <label key={s} class={`reg-stage-option ${stage === s ? "selected" : ""}`}>
              <input type="radio" name="stage" value={s} checked={stage === s} disabled={s === current}
                data-testid={`stage-option-${s.toLowerCase()}`} onChange={() => setStage(s)} />
              <StageBadge stage={s} />
              <span class="muted">{s === current ? "(current)" : HINTS[s]}</span>
            </label>
          ))}
        </fieldset>
        {canArchive && (
          <label class="reg-checkbox">
            <input type="checkbox" checked={archive} data-testid="archive-existing"
              onChange={(e) => setArchive((e.target as HTMLInputElement).checked)} />
            <span>
              Archive existing versions in this stage
              {affected.length > 0 && <span class="muted"> (now in {stage}: {affected.map((v) => `v${v.version}`).join(", ")})</span>}
            </span>
          </label>
        )}
        {error !== undefined && <ErrorBanner error={error} />}
        <div class="reg-form-actions">
          <button class="btn" type="button" onClick={onClose}>Cancel</button>
          <button class="btn btn-primary" type="submit" data-testid="confirm-transition" disabled={busy || stage === current}>
            {busy ? "Moving…" : `Move to ${stage}`}
          </button>
        </div>
      </form>
    </Modal>
  );
}
