// The dialogs of the experiments list: create, rename, delete. Server errors are shown in the
// dialog, which stays open so the user can fix the input.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { deleteExperiment, renameExperiment } from "../../api/tracking";
import type { Experiment, KeyValue } from "../../api/types";
import { ErrorBanner } from "../../components/common";
import { Modal } from "../../components/Modal";
import { cleanTags, createExperimentWith } from "./list";

/** A dialog whose body is a form; `submit` runs on Enter or the primary button. */
function FormDialog({ id, title, submitLabel, danger, onClose, submit, canSubmit = true, children }: {
  id: string;
  title: string;
  submitLabel: string;
  danger?: boolean;
  onClose: () => void;
  submit: () => Promise<void>;
  canSubmit?: boolean;
  children: ComponentChildren;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // Start in the first field with its text selected (a rename edits the current name).
    const timer = setTimeout(() => {
      const field = formRef.current?.querySelector<HTMLInputElement>("input");
      field?.focus();
      field?.select();
    }, 0);
    return () => clearTimeout(timer);
  }, []);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy || !canSubmit) return;
    setBusy(true);
    setError(undefined);
    try {
      await submit();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} footer={
      <>
        <button class="btn" type="button" onClick={onClose}>Cancel</button>
        <button class={`btn ${danger ? "btn-danger-solid" : "btn-primary"}`} type="submit" form={id}
          disabled={busy || !canSubmit} data-testid={`${id}-submit`}>
          {busy ? "Working…" : submitLabel}
        </button>
      </>
    }>
      <form id={id} class="exp-form" onSubmit={onSubmit} ref={formRef}>
        {children}
        {error !== undefined && <ErrorBanner error={error} />}
      </form>
    </Modal>
  );
}

export function CreateExperimentDialog({ onClose, onCreated }: {
  onClose: () => void;
  onCreated: (id: string, name: string) => void;
}) {
  const [name, setName] = useState("");
  const [location, setLocation] = useState("");
  const [tags, setTags] = useState<KeyValue[]>([]);
  const setTag = (index: number, patch: Partial<KeyValue>) =>
    setTags(tags.map((t, i) => (i === index ? { ...t, ...patch } : t)));
  return (
    <FormDialog id="create-experiment-form" title="Create experiment" submitLabel="Create" onClose={onClose}
      canSubmit={name.trim().length > 0}
      submit={async () => {
        const id = await createExperimentWith(name.trim(), location, cleanTags(tags));
        onCreated(id, name.trim());
      }}>
      <label>
        Name
        <input name="name" required value={name} placeholder="my-experiment" data-testid="create-experiment-name"
          onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        <span>Artifact location <span class="muted">(optional)</span></span>
        <input name="artifact_location" value={location} placeholder="Server default"
          onInput={(e) => setLocation((e.target as HTMLInputElement).value)} />
      </label>
      <fieldset class="exp-tags-field">
        <legend>Tags <span class="muted">(optional)</span></legend>
        {tags.map((tag, index) => (
          <div class="exp-tag-row" key={index}>
            <input aria-label={`Tag ${index + 1} key`} placeholder="Key" value={tag.key}
              onInput={(e) => setTag(index, { key: (e.target as HTMLInputElement).value })} />
            <input aria-label={`Tag ${index + 1} value`} placeholder="Value" value={tag.value}
              onInput={(e) => setTag(index, { value: (e.target as HTMLInputElement).value })} />
            <button class="btn btn-small btn-ghost" type="button" aria-label={`Remove tag ${index + 1}`}
              onClick={() => setTags(tags.filter((_, i) => i !== index))}>✕</button>
          </div>
        ))}
        <div>
          <button class="btn btn-small" type="button" onClick={() => setTags([...tags, { key: "", value: "" }])}>
            + Add tag
          </button>
        </div>
      </fieldset>
    </FormDialog>
  );
}

export function RenameExperimentDialog({ experiment, onClose, onDone }: {
  experiment: Experiment;
  onClose: () => void;
  onDone: () => void;
}) {
  const [name, setName] = useState(experiment.name);
  return (
    <FormDialog id="rename-experiment-form" title="Rename experiment" submitLabel="Rename" onClose={onClose}
      canSubmit={name.trim().length > 0 && name.trim() !== experiment.name}
      submit={async () => {
        await renameExperiment(experiment.experiment_id, name.trim());
        onDone();
      }}>
      <label>
        New name
        <input name="name" required value={name} data-testid="rename-experiment-name"
          onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
    </FormDialog>
  );
}

export function DeleteExperimentDialog({ experiment, onClose, onDone }: {
  experiment: Experiment;
  onClose: () => void;
  onDone: () => void;
}) {
  return (
    <FormDialog id="delete-experiment-form" title="Delete experiment" submitLabel="Delete" danger onClose={onClose}
      submit={async () => {
        await deleteExperiment(experiment.experiment_id);
        onDone();
      }}>
      <p class="exp-confirm">
        Delete <strong>{experiment.name}</strong> (id {experiment.experiment_id}) and its runs?
        It moves to the deleted experiments, where it can be restored until the server's garbage
        collection removes it for good.
      </p>
    </FormDialog>
  );
}
