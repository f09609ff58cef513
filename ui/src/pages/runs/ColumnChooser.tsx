// The column chooser: a searchable checklist of the experiment's params, metrics and tags.
// Only matching keys render, capped per group (with a count), so thousands of keys stay fast.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ColumnsResponse } from "../../api/types";
import { TYPE_LABEL } from "./columns";
import { columnId, type ColumnRef, type ColumnType } from "./urlState";

export const MAX_SHOWN_PER_GROUP = 100;
const GROUPS: ColumnType[] = ["metrics", "params", "tags"];

export interface ChooserGroup {
  type: ColumnType;
  /** Keys to render: chosen matches first, then the others, at most the cap. */
  keys: string[];
  /** Matches in all. */
  matches: number;
  available: number;
}

/** The groups to render for a search (case-insensitive substring). */
export function chooserGroups(available: ColumnsResponse, chosen: ReadonlySet<string>, search: string,
  cap = MAX_SHOWN_PER_GROUP): ChooserGroup[] {
  const needle = search.trim().toLowerCase();
  return GROUPS.map((type) => {
    const all = available[type];
    const picked: string[] = [];
    const rest: string[] = [];
    let matches = 0;
    for (const key of all) {
      if (needle && !key.toLowerCase().includes(needle)) continue;
      matches++;
      if (chosen.has(`${type}.${key}`)) picked.push(key);
      else if (rest.length < cap) rest.push(key);
    }
    return { type, keys: picked.concat(rest).slice(0, Math.max(cap, picked.length)), matches, available: all.length };
  });
}

export function ColumnChooser({ available, error, chosen, onChange, onReset }: {
  available: ColumnsResponse | undefined;
  error?: unknown;
  chosen: ColumnRef[];
  onChange: (columns: ColumnRef[]) => void;
  onReset: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const root = useRef<HTMLDivElement>(null);
  const chosenIds = useMemo(() => new Set(chosen.map(columnId)), [chosen]);
  const groups = useMemo(
    () => (available ? chooserGroups(available, chosenIds, search) : []),
    [available, chosenIds, search],
  );
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const toggle = (type: ColumnType, key: string) => {
    const id = `${type}.${key}`;
    onChange(chosenIds.has(id) ? chosen.filter((c) => columnId(c) !== id) : [...chosen, { type, key }]);
  };

  return (
    <div class="column-chooser" ref={root}>
      <button class="btn" data-testid="column-chooser" aria-haspopup="dialog" aria-expanded={open}
        onClick={() => setOpen(!open)}>
        Columns <span class="count-pill">{chosen.length}</span>
      </button>
      {open && (
        <div class="column-panel" role="dialog" aria-label="Choose columns" data-testid="column-panel"
          onKeyDown={(e) => { if (e.key === "Escape") { e.stopPropagation(); setOpen(false); } }}>
          <input type="search" data-testid="column-search" aria-label="Search columns" autoFocus
            placeholder="Search metrics, params, tags…" value={search}
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
          {error !== undefined && <div class="field-error">Could not load the column names.</div>}
          {!available && error === undefined && <div class="muted column-note">Loading column names…</div>}
          {available?.truncated && (
            <div class="muted column-note">The server listed only part of the keys: search narrows within them.</div>
          )}
          <div class="column-groups">
            {groups.map((group) => (
              <section key={group.type} class="column-group" aria-label={TYPE_LABEL[group.type]}>
                <h3>
                  {TYPE_LABEL[group.type]}
                  <span class="muted">
                    {search.trim() ? `${group.matches.toLocaleString()} of ${group.available.toLocaleString()}` : group.available.toLocaleString()}
                  </span>
                </h3>
                {group.keys.length === 0 && <div class="muted column-note">{group.available ? "No match." : "None logged."}</div>}
                {group.keys.map((key) => {
                  const id = `${group.type}.${key}`;
                  return (
                    <label key={id} class="column-option" title={key}>
                      <input type="checkbox" checked={chosenIds.has(id)} onChange={() => toggle(group.type, key)} />
                      <span class="mono">{key}</span>
                    </label>
                  );
                })}
                {group.matches > group.keys.length && (
                  <div class="muted column-note" data-testid="column-more">
                    Showing {group.keys.length.toLocaleString()} of {group.matches.toLocaleString()}: type to narrow.
                  </div>
                )}
              </section>
            ))}
          </div>
          <div class="column-footer">
            <button class="btn btn-small" onClick={onReset}>Default columns</button>
            <button class="btn btn-small" onClick={() => onChange([])} disabled={chosen.length === 0}>Hide all</button>
            <span class="spacer" />
            <button class="btn btn-small btn-primary" onClick={() => setOpen(false)}>Done</button>
          </div>
        </div>
      )}
    </div>
  );
}
