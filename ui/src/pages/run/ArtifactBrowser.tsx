// The Artifacts tab: a lazily expanded file tree (the run's artifacts plus the logged models
// it produced), a preview of the selected file, its download link and "Register model" for a
// model directory. The selected path lives in the URL (`path=`).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { EmptyState, ErrorBanner, Spinner } from "../../components/common";
import { formatBytes } from "../../lib/format";
import { updateQuery, useLocation } from "../../router";
import { ArtifactPreview } from "./ArtifactPreview";
import {
  ancestors, fileUrl, listDirectory, modelDirFor, parentOf, type TreeEntry,
} from "./artifactTree";
import { RegisterModelDialog } from "./RegisterModelDialog";
import type { LoggedModel } from "../../api/loggedModels";

type Listing = { state: "loading" } | { state: "error"; error: unknown } | { state: "done"; entries: TreeEntry[] };

/** Entries a directory shows before "show more". */
const PAGE = 500;

export function ArtifactBrowser({ runId, folders, artifactUri }: {
  runId: string;
  folders: Map<string, LoggedModel>;
  artifactUri?: string;
}) {
  const { query } = useLocation();
  const selected = (query.get("path") ?? "").replace(/^\/+|\/+$/g, "");
  const [listings, setListings] = useState<Map<string, Listing>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(selected ? ancestors(selected) : [""]));
  const [registering, setRegistering] = useState(false);
  const requested = useRef(new Set<string>());
  const treeRef = useRef<HTMLDivElement>(null);

  const load = (dir: string, force = false) => {
    if (requested.current.has(dir) && !force) return;
    requested.current.add(dir);
    setListings((m) => new Map(m).set(dir, { state: "loading" }));
    listDirectory(runId, dir, folders).then(
      (entries) => setListings((m) => new Map(m).set(dir, { state: "done", entries })),
      (error: unknown) => setListings((m) => new Map(m).set(dir, { state: "error", error })),
    );
  };

  // Open the folders leading to the selection (a shared link), and load every open folder.
  useEffect(() => {
    if (selected) setExpanded((s) => (ancestors(selected).every((a) => s.has(a)) ? s : new Set([...s, ...ancestors(selected)])));
  }, [selected]);
  useEffect(() => {
    load("");
    for (const dir of expanded) load(dir);
  }, [expanded]);

  const done = useMemo(() => {
    const m = new Map<string, TreeEntry[]>();
    for (const [dir, l] of listings) if (l.state === "done") m.set(dir, l.entries);
    return m;
  }, [listings]);
  const selectedEntry = selected ? done.get(parentOf(selected))?.find((e) => e.path === selected) : undefined;
  const selectedIsDir = selected === "" || !!selectedEntry?.isDir;
  const modelDir = modelDirFor(runId, selected, selectedIsDir, done, folders);

  // A directory named by the link the page was opened with opens itself (once).
  const initial = useRef(selected);
  useEffect(() => {
    if (selectedEntry?.isDir && initial.current === selected) {
      initial.current = "";
      setExpanded((s) => new Set(s).add(selected));
    }
  }, [selectedEntry?.isDir, selected]);

  const select = (path: string) => updateQuery({ path: path || undefined });
  const toggle = (entry: TreeEntry) => {
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(entry.path)) next.delete(entry.path);
      else next.add(entry.path);
      return next;
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const rows = [...(treeRef.current?.querySelectorAll<HTMLButtonElement>("button[data-tree-path]") ?? [])];
    const current = document.activeElement as HTMLButtonElement | null;
    const index = current ? rows.indexOf(current) : -1;
    if (index < 0) return;
    const path = current!.dataset.treePath ?? "";
    const isDir = current!.dataset.treeDir === "true";
    const focus = (i: number) => rows[Math.max(0, Math.min(rows.length - 1, i))]?.focus();
    if (event.key === "ArrowDown") focus(index + 1);
    else if (event.key === "ArrowUp") focus(index - 1);
    else if (event.key === "Home") focus(0);
    else if (event.key === "End") focus(rows.length - 1);
    else if (event.key === "ArrowRight" && isDir) {
      if (!expanded.has(path)) setExpanded((s) => new Set(s).add(path));
      else focus(index + 1);
    } else if (event.key === "ArrowLeft") {
      if (isDir && expanded.has(path)) {
        setExpanded((s) => { const n = new Set(s); n.delete(path); return n; });
      } else {
        const parent = rows.find((r) => r.dataset.treePath === parentOf(path));
        parent?.focus();
      }
    } else return;
    event.preventDefault();
  };

  const root = listings.get("");
  const url = selected && selectedEntry && !selectedEntry.isDir ? fileUrl(runId, selected, folders) : undefined;

  return (
    <div class="artifact-browser" data-testid="artifact-browser">
      <div class="panel artifact-tree-panel">
        <div class="artifact-tree-head">
          <h2>Files</h2>
          <button class="btn btn-small btn-ghost" title="Reload the file list" onClick={() => {
            requested.current.clear();
            load("", true);
            for (const dir of expanded) load(dir, true);
          }}>↻ Refresh</button>
        </div>
        {!root || root.state === "loading" ? <Spinner label="Loading artifacts…" />
          : root.state === "error" ? <ErrorBanner error={root.error} onRetry={() => load("", true)} />
          : root.entries.length === 0 ? (
            <EmptyState title="No artifacts">
              This run has not logged any files{artifactUri ? <> to <code>{artifactUri}</code></> : null}.
            </EmptyState>
          ) : (
            <div class="artifact-tree" role="tree" aria-label="Artifacts" ref={treeRef} onKeyDown={onKeyDown}>
              <TreeLevel dir="" depth={0} listings={listings} expanded={expanded} selected={selected}
                onSelect={(e) => { select(e.path); if (e.isDir) toggle(e); }} onRetry={(d) => load(d, true)} />
            </div>
          )}
      </div>
      <div class="panel artifact-preview-panel" data-testid="artifact-preview">
        <div class="preview-head">
          <div class="preview-title">
            <span class="mono" data-testid="preview-path">{selected || "Artifacts"}</span>
            {selectedEntry?.size !== undefined && <span class="muted">{formatBytes(selectedEntry.size)}</span>}
          </div>
          <div class="preview-actions">
            {modelDir && (
              <button class="btn btn-primary btn-small" data-testid="register-model" onClick={() => setRegistering(true)}
                title={`Register ${modelDir.path || "the artifact root"} as a model version`}>
                Register model
              </button>
            )}
            {url && <a class="btn btn-small" href={url} download={selected.split("/").pop()} data-testid="artifact-download">Download</a>}
          </div>
        </div>
        {modelDir && (
          <div class="preview-note model-dir-note">
            <span class="badge flavor">model</span> {modelDir.path ? <code>{modelDir.path}/</code> : "The artifact root"} is a model directory
            {modelDir.modelId ? <> (logged model <code>{modelDir.modelId}</code>)</> : null}.
          </div>
        )}
        <PreviewBody selected={selected} entry={selectedEntry} url={url} runId={runId}
          parentState={selected ? listings.get(parentOf(selected)) : undefined} />
      </div>
      {registering && modelDir && (
        <RegisterModelDialog runId={runId} source={modelDir.source} modelId={modelDir.modelId}
          path={modelDir.path} onClose={() => setRegistering(false)} />
      )}
    </div>
  );
}

function PreviewBody({ selected, entry, url, runId, parentState }: {
  selected: string; entry: TreeEntry | undefined; url: string | undefined; runId: string; parentState: Listing | undefined;
}) {
  if (!selected) return <EmptyState title="Select a file">Pick a file in the tree to preview it here.</EmptyState>;
  if (!entry) {
    if (!parentState || parentState.state === "loading") return <Spinner />;
    if (parentState.state === "error") return <ErrorBanner error={parentState.error} />;
    return <EmptyState title="Not found">There is no artifact at <code>{selected}</code>.</EmptyState>;
  }
  if (entry.isDir) {
    return (
      <EmptyState title={entry.loggedModel ? "A logged model" : "A folder"}>
        {entry.loggedModel
          ? <>Model <code>{entry.loggedModel.model_id}</code> that this run logged. Pick a file to preview it.</>
          : "Pick a file inside it to preview it."}
      </EmptyState>
    );
  }
  return <ArtifactPreview key={selected} url={url} path={selected} size={entry.size} runId={runId} />;
}

function TreeLevel({ dir, depth, listings, expanded, selected, onSelect, onRetry }: {
  dir: string;
  depth: number;
  listings: Map<string, Listing>;
  expanded: Set<string>;
  selected: string;
  onSelect: (entry: TreeEntry) => void;
  onRetry: (dir: string) => void;
}) {
  const [limit, setLimit] = useState(PAGE);
  const listing = listings.get(dir);
  const pad = { paddingLeft: `${8 + depth * 16}px` };
  if (!listing || listing.state === "loading") {
    return <div class="tree-note muted" style={pad}><span class="spinner small" aria-hidden="true" /> Loading…</div>;
  }
  if (listing.state === "error") {
    return (
      <div class="tree-note" style={pad} role="alert">
        <span class="danger-text">Could not list this folder.</span>{" "}
        <button class="btn btn-small btn-ghost" onClick={() => onRetry(dir)}>Retry</button>
      </div>
    );
  }
  if (listing.entries.length === 0) return <div class="tree-note muted" style={pad}>Empty folder</div>;
  return (
    <div role="group">
      {listing.entries.slice(0, limit).map((entry) => {
        const open = entry.isDir && expanded.has(entry.path);
        return (
          <div key={entry.path} role="none">
            <button type="button" role="treeitem" class={`tree-row ${entry.path === selected ? "selected" : ""}`}
              style={pad} data-tree-path={entry.path} data-tree-dir={String(entry.isDir)} data-testid="artifact-row"
              aria-selected={entry.path === selected} aria-expanded={entry.isDir ? open : undefined}
              aria-level={depth + 1} onClick={() => onSelect(entry)}>
              <span class="tree-caret" aria-hidden="true">{entry.isDir ? (open ? "▾" : "▸") : ""}</span>
              <TreeIcon kind={entry.loggedModel ? "model" : entry.isDir ? "dir" : "file"} />
              <span class="tree-name">{entry.name}</span>
              {entry.loggedModel && <span class="badge flavor">logged model</span>}
              {!entry.isDir && entry.size !== undefined && <span class="tree-size muted">{formatBytes(entry.size)}</span>}
            </button>
            {open && <TreeLevel dir={entry.path} depth={depth + 1} listings={listings} expanded={expanded}
              selected={selected} onSelect={onSelect} onRetry={onRetry} />}
          </div>
        );
      })}
      {listing.entries.length > limit && (
        <button class="btn btn-small btn-ghost tree-more" style={pad} onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, listing.entries.length - limit)} more of {listing.entries.length - limit} hidden
        </button>
      )}
    </div>
  );
}

/** Small line icons (inline SVG in the text colour: no icon font, nothing fetched). */
function TreeIcon({ kind }: { kind: "dir" | "file" | "model" }) {
  const path = kind === "dir"
    ? "M1.5 3.5h4l1.5 1.5h7.5v8h-13z"
    : kind === "model"
      ? "M8 1.5l6 3.25v6.5L8 14.5l-6-3.25v-6.5zM2 4.75l6 3.25 6-3.25M8 8v6.5"
      : "M3.5 1.5h6l3 3v10h-9zM9.5 1.5v3h3";
  return (
    <svg class={`tree-icon ${kind}`} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d={path} fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round" />
    </svg>
  );
}
