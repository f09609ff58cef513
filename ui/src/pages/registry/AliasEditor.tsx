// Aliases of a registered model: a list of alias → version badges with remove buttons and a
// form to add one. With `version` set it edits the aliases of that one version. Moving an
// alias that another version holds asks for confirmation first.
import { useState } from "preact/hooks";
import { deleteAlias, setAlias } from "../../api/registry";
import type { RegisteredModelAlias } from "../../api/types";
import { ErrorBanner } from "../../components/common";
import { useAction } from "../../lib/useAction";
import { href, routes } from "../../router";
import { aliasHolder, aliasProblem, sortedAliases } from "./aliases";

export interface AliasEditorProps {
  model: string;
  /** Every alias of the model. */
  aliases: RegisteredModelAlias[];
  /** Versions to choose from when adding (model page), newest first. */
  versions?: string[];
  /** Edit only this version's aliases (version page). */
  version?: string;
  onChanged: () => void;
}

export function AliasEditor({ model, aliases, versions = [], version, onChanged }: AliasEditorProps) {
  const [alias, setAliasText] = useState("");
  const [target, setTarget] = useState(version ?? versions[0] ?? "");
  const [moving, setMoving] = useState<{ alias: string; from: string; to: string } | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const chosen = version ?? (versions.includes(target) ? target : versions[0] ?? "");
  const shown = sortedAliases(aliases).filter((a) => version === undefined || String(a.version) === version);
  const trimmed = alias.trim();
  const problem = trimmed ? aliasProblem(trimmed) : undefined;

  const { busy, error, run } = useAction(onChanged);
  const assign = async (name: string, to: string) => {
    if (await run(() => setAlias(model, name, to))) {
      setAliasText("");
      setMoving(undefined);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (!trimmed || problem || !chosen) return;
    const holder = aliasHolder(aliases, trimmed);
    if (holder === chosen) {
      setNotice(`Version ${chosen} already has the alias @${trimmed}.`);
      return;
    }
    if (holder !== undefined) {
      setMoving({ alias: trimmed, from: holder, to: chosen });
      return;
    }
    void assign(trimmed, chosen);
  };

  return (
    <div class="reg-alias-editor" data-testid="alias-editor">
      {shown.length === 0 && (
        <div class="muted">{version === undefined ? "No aliases. Aliases such as @champion name a version for loading: models:/" + model + "@champion." : "This version has no aliases."}</div>
      )}
      {shown.length > 0 && (
        <ul class="reg-alias-list" aria-label="Aliases">
          {shown.map((a) => (
            <li key={a.alias} class="reg-alias-item" data-testid="alias-item" data-alias={a.alias}>
              <span class="badge alias" data-testid="alias-badge">@{a.alias}</span>
              {version === undefined && (
                <>
                  <span class="muted" aria-hidden="true">→</span>
                  <a href={href(routes.modelVersion(model, String(a.version)))}>Version {a.version}</a>
                </>
              )}
              <button class="btn btn-small btn-ghost danger" type="button" disabled={busy}
                aria-label={`Remove alias ${a.alias}`} data-testid="remove-alias"
                onClick={() => run(() => deleteAlias(model, a.alias))}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <form class="reg-alias-form" onSubmit={submit}>
        <input data-testid="alias-input" aria-label="New alias" placeholder="alias, e.g. champion" value={alias} maxLength={255}
          aria-invalid={problem ? "true" : undefined}
          onInput={(e) => { setAliasText((e.target as HTMLInputElement).value); setMoving(undefined); setNotice(undefined); }} />
        {version === undefined && (
          <label class="reg-inline-label">
            for
            <select aria-label="Version for the alias" data-testid="alias-version" value={chosen} disabled={!versions.length}
              onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
              {versions.map((v) => <option key={v} value={v}>Version {v}</option>)}
            </select>
          </label>
        )}
        <button class="btn" type="submit" data-testid="add-alias" disabled={busy || !trimmed || !!problem || !chosen}>Add alias</button>
      </form>
      {version === undefined && !versions.length && <div class="muted">Register a version to give it an alias.</div>}
      {(problem ?? notice) && <div class="field-error" role="status">{problem ?? notice}</div>}
      {moving && (
        <div class="reg-warning" role="alert" data-testid="alias-move-warning">
          <span>
            <strong>@{moving.alias}</strong> points to <a href={href(routes.modelVersion(model, moving.from))}>version {moving.from}</a> now.
            Move it to version {moving.to}? Code loading <code>models:/{model}@{moving.alias}</code> will get version {moving.to}.
          </span>
          <span class="reg-warning-actions">
            <button class="btn btn-primary btn-small" type="button" data-testid="confirm-alias-move" disabled={busy}
              onClick={() => assign(moving.alias, moving.to)}>Move alias</button>
            <button class="btn btn-small" type="button" onClick={() => setMoving(undefined)}>Cancel</button>
          </span>
        </div>
      )}
      {error !== undefined && <ErrorBanner error={error} />}
    </div>
  );
}
