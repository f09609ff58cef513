// Data loading for the registry pages, on top of ui/src/api: every version of a model, run
// lookups (cached, a few at a time) and a version's MLmodel file.
import { ApiError, apiGet, apiPost, fetchText, MLFLOW } from "../../api/http";
import { modelVersionArtifactUrl, searchModelVersions } from "../../api/registry";
import { getRun } from "../../api/tracking";
import type { ModelVersion, RunInfo } from "../../api/types";
import { filterString, modelNameFilter } from "./filters";
import { parseRunsUri, proxyPath } from "./sources";

/** Every version of model `name`, newest first (all pages). */
export async function allVersions(name: string): Promise<ModelVersion[]> {
  const { filter, exact } = modelNameFilter(name);
  const out: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await searchModelVersions({ filter, maxResults: 1000, orderBy: ["version_number DESC"], pageToken });
    out.push(...page.model_versions);
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  const mine = exact ? out : out.filter((v) => v.name === name);
  return mine.sort((a, b) => Number(b.version) - Number(a.version));
}

// ---- runs: experiment id and artifact root of a version's source run ---------------------------
const runCache = new Map<string, Promise<RunInfo | null>>();
const waiting: (() => void)[] = [];
let inFlight = 0;
const MAX_IN_FLIGHT = 6;

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await task();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

/** The run's info (null when the run does not exist); cached for the session. */
export function runInfo(runId: string): Promise<RunInfo | null> {
  let cached = runCache.get(runId);
  if (!cached) {
    cached = limited(() => getRun(runId)).then(
      (run) => run.info,
      (error: unknown) => {
        if (error instanceof ApiError && error.errorCode === "RESOURCE_DOES_NOT_EXIST") return null;
        runCache.delete(runId); // transient: try again next time
        throw error;
      },
    );
    runCache.set(runId, cached);
  }
  return cached;
}

// ---- MLmodel -------------------------------------------------------------------------------
const MLMODEL_MAX_BYTES = 512 * 1024;

function proxyFileUrl(artifactUri: string | undefined, file: string): string | undefined {
  const path = proxyPath(artifactUri);
  if (path === undefined) return undefined;
  const segments = [...path.split("/"), file].filter(Boolean).map(encodeURIComponent);
  return `ajax-api/2.0/mlflow-artifacts/artifacts/${segments.join("/")}`;
}

interface LoggedModelInfo { model_id: string; name?: string; artifact_uri?: string; source_run_id?: string }

/** The artifact root of the logged model behind `version` (MLflow 3 stores models apart from
 * the run's artifacts: `model_id`, or the run's logged model named like the source path). */
async function loggedModelRoot(version: ModelVersion): Promise<string | undefined> {
  if (version.model_id) {
    const body = await apiGet<{ model?: { info?: LoggedModelInfo } }>(
      `${MLFLOW}/logged-models/${encodeURIComponent(version.model_id)}`);
    return body.model?.info?.artifact_uri;
  }
  const location = parseRunsUri(version.source);
  if (!location || !location.path || location.path.includes("/")) return undefined;
  const run = await runInfo(location.runId);
  const runLiteral = filterString(location.runId);
  const nameLiteral = filterString(location.path);
  if (!run || !runLiteral || !nameLiteral) return undefined;
  const body = await apiPost<{ models?: { info?: LoggedModelInfo }[] }>(`${MLFLOW}/logged-models/search`, {
    experiment_ids: [run.experiment_id],
    filter: `source_run_id = ${runLiteral} AND name = ${nameLiteral}`,
    max_results: 1,
  });
  return body.models?.[0]?.info?.artifact_uri;
}

/** The text of the version's MLmodel file, or undefined when it cannot be found. */
export async function fetchMLmodel(version: ModelVersion, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const url = modelVersionArtifactUrl(version.name, version.version, "MLmodel");
    return (await fetchText(url, MLMODEL_MAX_BYTES, signal)).text;
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  try {
    const url = proxyFileUrl(await loggedModelRoot(version), "MLmodel");
    return url ? (await fetchText(url, MLMODEL_MAX_BYTES, signal)).text : undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}
