// A Markdown description with an edit mode (experiments, runs, models, versions).
import { useState } from "preact/hooks";
import { ErrorBanner } from "./common";
import { Markdown } from "./Markdown";

export function Description({ text, onSave, placeholder = "No description." }: {
  text: string;
  onSave: (text: string) => Promise<unknown>;
  placeholder?: string;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  if (!editing) {
    return (
      <div class="description">
        {text ? <Markdown source={text} /> : <div class="muted">{placeholder}</div>}
        <button class="btn btn-small" onClick={() => { setDraft(text); setEditing(true); }}>Edit description</button>
      </div>
    );
  }
  return (
    <form class="description editing" onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      setError(undefined);
      try {
        await onSave(draft);
        setEditing(false);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    }}>
      <textarea aria-label="Description (Markdown)" rows={6} value={draft}
        onInput={(e) => setDraft((e.target as HTMLTextAreaElement).value)} />
      <div class="row-actions">
        <button class="btn btn-primary" type="submit" disabled={busy}>Save</button>
        <button class="btn" type="button" onClick={() => setEditing(false)}>Cancel</button>
      </div>
      {error !== undefined && <ErrorBanner error={error} />}
    </form>
  );
}
