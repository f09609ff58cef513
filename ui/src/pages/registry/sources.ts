// Where a model version's files live, relative to the run that produced them.

export interface RunLocation {
  runId: string;
  /** Path inside the run's artifacts ("" for the root), when the source points inside the run. */
  path?: string;
}

/** The run and path of `source` when it is `runs:/<run>/<path>`. */
export function parseRunsUri(source: string | undefined): RunLocation | undefined {
  const match = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(source ?? "");
  if (!match) return undefined;
  return { runId: match[1], path: (match[2] ?? "").replace(/\/+$/, "") };
}

/** The path of `source` inside `artifactUri` (the run's artifact root), if it lies inside. */
export function pathInside(source: string | undefined, artifactUri: string | undefined): string | undefined {
  if (!source || !artifactUri) return undefined;
  const root = artifactUri.replace(/\/+$/, "");
  if (source === root) return "";
  if (!source.startsWith(`${root}/`)) return undefined;
  const rest = source.slice(root.length + 1).replace(/\/+$/, "");
  return rest.split("/").some((part) => part === "..") ? undefined : rest;
}

/** The path inside the run's artifacts that `source` names, given the run (if known). */
export function artifactPathInRun(
  source: string | undefined, runId: string | undefined, artifactUri: string | undefined,
): string | undefined {
  const parsed = parseRunsUri(source);
  if (parsed) return runId && parsed.runId !== runId ? undefined : parsed.path;
  return pathInside(source, artifactUri);
}
