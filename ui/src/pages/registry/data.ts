// Data loading for the registry pages, on top of ui/src/api: every version of a model, run
// lookups (cached, a few at a time) and a version's MLmodel file.
import { ApiError, fetchText } from "../../api/http";
import { modelVersionArtifactUrl, searchModelVersions } from "../../api/registry";
import { getRun } from "../../api/tracking";
import type { ModelVersion, RunInfo } from "../../api/types";
import { modelNameFilter } from "./filters";

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

/** The text of the version's MLmodel file, or undefined when it cannot be found. The server
 * resolves where the version's files are (run artifacts or an MLflow 3 logged model). */
export async function fetchMLmodel(version: ModelVersion, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const url = modelVersionArtifactUrl(version.name, version.version, "MLmodel");
    return (await fetchText(url, MLMODEL_MAX_BYTES, signal)).text;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}
