// "Register model": add a model directory of a run as a new version of an existing
// registered model (searchable) or of a new one, then link to the created version.
import { useEffect, useState } from "preact/hooks";
import { createRegisteredModel, searchRegisteredModels } from "../../api/registry";
import type { ModelVersion } from "../../api/types";
import { ErrorBanner, Spinner } from "../../components/common";
import { Modal } from "../../components/Modal";
import { useAsync } from "../../lib/useAsync";
import { href, routes } from "../../router";
import { createModelVersion } from "../../api/registry";

/** A registry search filter for names containing `text` (quotes and wildcards dropped). */
export function nameFilter(text: string): string | undefined {
  const clean = text.replace(/['"%_\\]/g, "").trim();
  return clean ? `name ILIKE '%${clean}%'` : undefined;
}

export function RegisterModelDialog({ runId, source, modelId, path, onClose }: {
  runId: string;
  source: string;
  modelId?: string;
  path: string;
  onClose: () => void;
}) {
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [chosen, setChosen] = useState("");
  const [newName, setNewName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [created, setCreated] = useState<ModelVersion | undefined>(undefined);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const models = useAsync(
    () => searchRegisteredModels({ filter: nameFilter(debounced), maxResults: 50, orderBy: ["name ASC"] }),
    [debounced],
  );
  const anyModels = (models.data?.registered_models.length ?? 0) > 0 || debounced !== "";
  useEffect(() => {
    if (models.data && !anyModels) setMode("new");
  }, [models.data, anyModels]);

  const name = mode === "new" ? newName.trim() : chosen;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      if (mode === "new") await createRegisteredModel(name);
      setCreated(await createModelVersion(name, source, runId, undefined, modelId));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <Modal title="Model registered" onClose={onClose} footer={<button class="btn" onClick={onClose}>Close</button>}>
        <div class="register-done" data-testid="register-success">
          <p>
            Registered <code>{path || "the artifact root"}</code> as{" "}
            <a href={href(routes.modelVersion(created.name, created.version))} data-testid="registered-version-link">
              {created.name} version {created.version}
            </a>.
          </p>
          <div class="muted">Source: <code>{created.source ?? source}</code></div>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title="Register model" onClose={onClose} footer={
      <>
        <button class="btn" type="button" onClick={onClose}>Cancel</button>
        <button class="btn btn-primary" type="submit" form="register-model-form" disabled={!name || busy}
          data-testid="register-submit">
          {busy ? "Registering…" : "Register"}
        </button>
      </>
    }>
      <form id="register-model-form" class="register-form" onSubmit={submit}>
        <div class="muted">
          Creates a model version from <code>{source}</code>.
        </div>
        <div class="segmented" role="radiogroup" aria-label="Registered model">
          <label class={mode === "existing" ? "active" : ""}>
            <input type="radio" name="register-mode" checked={mode === "existing"} onChange={() => setMode("existing")} />
            Existing model
          </label>
          <label class={mode === "new" ? "active" : ""}>
            <input type="radio" name="register-mode" checked={mode === "new"} onChange={() => setMode("new")}
              data-testid="register-mode-new" />
            New model
          </label>
        </div>
        {mode === "new" ? (
          <label>
            Model name
            <input data-testid="register-new-name" value={newName} maxLength={256} placeholder="e.g. churn-classifier"
              onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
          </label>
        ) : (
          <div class="model-picker">
            <label>
              Find a registered model
              <input type="search" value={search} placeholder="Search by name" data-testid="register-search"
                onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
            </label>
            <div class="model-options" role="radiogroup" aria-label="Registered models">
              {models.loading && !models.data ? <Spinner label="Loading models…" />
                : models.error ? <ErrorBanner error={models.error} onRetry={models.reload} />
                : models.data!.registered_models.length === 0 ? <div class="muted">No model matches “{debounced}”.</div>
                : models.data!.registered_models.map((m) => (
                  <label key={m.name} class={`model-option ${chosen === m.name ? "active" : ""}`}>
                    <input type="radio" name="register-model" value={m.name} checked={chosen === m.name}
                      onChange={() => setChosen(m.name)} />
                    <span class="model-option-name">{m.name}</span>
                    <span class="muted">
                      {m.latest_versions?.length ? `latest v${Math.max(...m.latest_versions.map((v) => Number(v.version)))}` : "no versions"}
                    </span>
                  </label>
                ))}
            </div>
          </div>
        )}
        {error !== undefined && <ErrorBanner error={error} />}
      </form>
    </Modal>
  );
}
