// Rename a registered model (its versions and aliases move with it).
import { useState } from "preact/hooks";
import { useInitialFocus } from "./focus";
import { renameRegisteredModel } from "../../api/registry";
import { ErrorBanner } from "../../components/common";
import { Modal } from "../../components/Modal";

export function RenameModelDialog({ name, onClose, onRenamed }: { name: string; onClose: () => void; onRenamed: (newName: string) => void }) {
  const [draft, setDraft] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const inputRef = useInitialFocus<HTMLInputElement>(true);
  const trimmed = draft.trim();
  const problem = /[/:]/.test(trimmed) ? "Names cannot contain '/' or ':'." : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!trimmed || trimmed === name || problem) return;
    setBusy(true);
    setError(undefined);
    try {
      await renameRegisteredModel(name, trimmed);
      onRenamed(trimmed);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title="Rename model" onClose={onClose}>
      <form class="reg-form" onSubmit={submit}>
        <label>
          New name
          <input ref={inputRef} data-testid="rename-model-input" value={draft} required maxLength={256}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
        </label>
        {problem && <div class="field-error">{problem}</div>}
        <div class="muted">Code that loads <code>models:/{name}/…</code> must use the new name afterwards.</div>
        {error !== undefined && <ErrorBanner error={error} />}
        <div class="reg-form-actions">
          <button class="btn" type="button" onClick={onClose}>Cancel</button>
          <button class="btn btn-primary" type="submit" data-testid="rename-model-submit"
            disabled={busy || !trimmed || trimmed === name || !!problem}>{busy ? "Renaming…" : "Rename"}</button>
        </div>
      </form>
    </Modal>
  );
}
