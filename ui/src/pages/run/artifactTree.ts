// The artifact tree's model: one namespace of display paths over the run's own artifacts
// and the logged models the run produced (each shown as a top-level folder named after the
// model). Pure functions, so the browser component stays about rendering.
import { artifactUrl, listArtifacts } from "../../api/tracking";
import { listLoggedModelArtifacts, loggedModelFileUrl, type LoggedModel } from "../../api/loggedModels";

export interface TreeEntry {
  /** Display path ("data/sample.csv", "model/MLmodel"). */
  path: string;
  name: string;
  isDir: boolean;
  size?: number;
  /** Set on the top-level folder of a logged model. */
  loggedModel?: LoggedModel;
}

/** Where a display path lives: the run's artifacts or a logged model's files. */
export type Located =
  | { kind: "run"; inner: string }
  | { kind: "model"; model: LoggedModel; root: string; inner: string };

export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(0, i) : "";
}

/** "a/b/c" -> ["", "a", "a/b"]: the directories that contain `path`. */
export function ancestors(path: string): string[] {
  const out = [""];
  const parts = path.split("/").filter(Boolean);
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join("/"));
  return out;
}

export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Folder names of the logged models, unique against the run's own top-level entries. */
export function modelFolders(models: LoggedModel[], runRoot: { path: string }[]): Map<string, LoggedModel> {
  const taken = new Set(runRoot.map((e) => e.path));
  const out = new Map<string, LoggedModel>();
  for (const model of models) {
    let name = model.name || model.model_id;
    if (taken.has(name) || out.has(name)) name = `${name} (${model.model_id})`;
    out.set(name, model);
  }
  return out;
}

export function locate(path: string, folders: Map<string, LoggedModel>): Located {
  const [top, ...rest] = path.split("/");
  const model = folders.get(top);
  if (model) return { kind: "model", model, root: top, inner: rest.join("/") };
  return { kind: "run", inner: path };
}

function sortEntries(entries: TreeEntry[]): TreeEntry[] {
  return entries.sort((a, b) => (a.isDir === b.isDir ? a.name.localeCompare(b.name) : a.isDir ? -1 : 1));
}

/** The entries of directory `dir` (display path; "" is the root). */
export async function listDirectory(runId: string, dir: string, folders: Map<string, LoggedModel>,
  signal?: AbortSignal): Promise<TreeEntry[]> {
  const where = locate(dir, folders);
  if (where.kind === "model") {
    const files = await listLoggedModelArtifacts(where.model.model_id, where.inner, signal);
    return sortEntries(files.map((f) => {
      const path = joinPath(where.root, f.path);
      return { path, name: path.slice(path.lastIndexOf("/") + 1), isDir: f.is_dir, size: f.file_size };
    }));
  }
  const files = await listArtifacts(runId, dir);
  const entries: TreeEntry[] = files.map((f) => ({
    path: f.path, name: f.path.slice(f.path.lastIndexOf("/") + 1), isDir: f.is_dir, size: f.file_size,
  }));
  if (dir === "") {
    for (const [name, model] of folders) entries.push({ path: name, name, isDir: true, loggedModel: model });
  }
  return sortEntries(entries);
}

/** URL to download/preview a file; undefined when the server cannot serve it. */
export function fileUrl(runId: string, path: string, folders: Map<string, LoggedModel>): string | undefined {
  const where = locate(path, folders);
  if (where.kind === "model") return loggedModelFileUrl(where.model.model_id, where.inner);
  return artifactUrl(runId, path);
}

/** A model directory to register: the source the server accepts for it. */
export interface ModelDir {
  path: string;
  source: string;
  modelId?: string;
}

/**
 * The model directory (one holding an MLmodel file) that `selected` is or lies in, judged
 * from the listings loaded so far; the nearest one wins.
 */
export function modelDirFor(runId: string, selected: string, selectedIsDir: boolean,
  listings: Map<string, TreeEntry[]>, folders: Map<string, LoggedModel>): ModelDir | undefined {
  const candidates = ancestors(selected).reverse();
  if (selectedIsDir) candidates.unshift(selected);
  for (const dir of candidates) {
    const entries = listings.get(dir);
    if (!entries?.some((e) => !e.isDir && e.name === "MLmodel")) continue;
    const where = locate(dir, folders);
    if (where.kind === "model") {
      if (where.inner) return undefined; // a nested model inside a logged model: not registrable by id
      return { path: dir, source: `models:/${where.model.model_id}`, modelId: where.model.model_id };
    }
    return { path: dir, source: dir ? `runs:/${runId}/${dir}` : `runs:/${runId}` };
  }
  return undefined;
}
