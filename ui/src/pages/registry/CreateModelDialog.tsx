// "Create model": a name and an optional Markdown description.
import { useState } from "preact/hooks";
import { useInitialFocus } from "./focus";
import { createRegisteredModel } from "../../api/registry";
import { ErrorBanner } from "../../components/common";
import { Modal } from "../../components/Modal";

export function CreateModelDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string) => void }) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const nameRef = useInitialFocus<HTMLInputElement>();
  const trimmed = name.trim();
  const problem = /[/:]/.test(trimmed) ? "Names cannot contain '/' or ':'." : undefined;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!trimmed || problem) return;
    setBusy(true);
    setError(undefined);
    try {
      const model = await createRegisteredModel(trimmed, description.trim() || undefined);
      onCreated(model.name);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title="Create a registered model" onClose={onClose}>
      <form class="reg-form" onSubmit={submit} data-testid="create-model-form">
        <label>
          Name
          <input ref={nameRef} data-testid="create-model-name" value={name} required maxLength={256} placeholder="e.g. churn-predictor"
            onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-invalid={problem ? "true" : undefined} />
        </label>
        {problem && <div class="field-error">{problem}</div>}
        <label>
          <span>Description <span class="muted reg-optional">(optional, Markdown)</span></span>
          <textarea data-testid="create-model-description" rows={4} value={description}
            onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
        </label>
        {error !== undefined && <ErrorBanner error={error} />}
        <div class="reg-form-actions">
          <button class="btn" type="button" onClick={onClose}>Cancel</button>
          <button class="btn btn-primary" type="submit" data-testid="create-model-submit" disabled={busy || !trimmed || !!problem}>
            {busy ? "Creating…" : "Create model"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
