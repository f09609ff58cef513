// A key/value tag table with add, edit and delete, used for experiments, runs and models.
import { useState } from "preact/hooks";
import { useAction } from "../lib/useAction";
import { ErrorBanner } from "./common";

export interface TagEditorProps {
  tags: { key: string; value: string }[];
  onSet: (key: string, value: string) => Promise<unknown>;
  onDelete: (key: string) => Promise<unknown>;
  /** Called after a successful change (reload the owner). */
  onChanged: () => void;
  readOnly?: boolean;
}

export function TagEditor({ tags, onSet, onDelete, onChanged, readOnly }: TagEditorProps) {
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const { busy, error, run } = useAction(onChanged);
  return (
    <div class="tag-editor">
      {tags.length === 0 && <div class="muted">No tags.</div>}
      {tags.length > 0 && (
        <table class="kv-table">
          <thead><tr><th>Key</th><th>Value</th>{!readOnly && <th />}</tr></thead>
          <tbody>
            {tags.map((tag) => (
              <tr key={tag.key}>
                <td class="mono">{tag.key}</td>
                <td class="wrap">{tag.value}</td>
                {!readOnly && (
                  <td class="actions">
                    <button class="btn btn-small btn-ghost" onClick={() => { setKey(tag.key); setValue(tag.value); }}>Edit</button>
                    <button class="btn btn-small btn-ghost danger" aria-label={`Delete tag ${tag.key}`}
                      disabled={busy} onClick={() => run(() => onDelete(tag.key))}>Delete</button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!readOnly && (
        <form class="tag-form" onSubmit={async (e) => {
          e.preventDefault();
          if (!key.trim()) return;
          if (await run(() => onSet(key.trim(), value))) { setKey(""); setValue(""); }
        }}>
          <input aria-label="Tag key" placeholder="Key" value={key} maxLength={250}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
          <input aria-label="Tag value" placeholder="Value" value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          <button class="btn" type="submit" disabled={busy || !key.trim()}>Save tag</button>
        </form>
      )}
      {error !== undefined && <ErrorBanner error={error} />}
    </div>
  );
}
