// API calls of the run page that the shared api/ modules do not have (yet): logged models
// (MLflow 3 stores a model logged in a run outside the run's artifacts), their files through
// the artifact proxy, and a model version created from a logged model (model_id).
import { apiGet, apiPost, MLFLOW } from "../../api/http";
import type { FileInfo, ModelVersion, Run } from "../../api/types";

export interface LoggedModel {
  model_id: string;
  name: string;
  experiment_id?: string;
  artifact_uri?: string;
  status?: string;
  source_run_id?: string;
  creation_timestamp_ms?: number;
}

/** A run with the MLflow 3 outputs (the logged models it produced). */
export interface RunWithOutputs extends Run {
  outputs?: { model_outputs?: { model_id: string; step?: number }[] };
}

export async function getLoggedModel(modelId: string, signal?: AbortSignal): Promise<LoggedModel> {
  const body = await apiGet<{ model: { info: LoggedModel } }>(
    `${MLFLOW}/logged-models/${encodeURIComponent(modelId)}`, {}, signal,
  );
  return body.model.info;
}

/** The logged models a run produced (each once), in the order the run logged them. */
export async function runLoggedModels(run: RunWithOutputs, signal?: AbortSignal): Promise<LoggedModel[]> {
  const ids = [...new Set((run.outputs?.model_outputs ?? []).map((o) => o.model_id))];
  const models = await Promise.all(ids.map((id) => getLoggedModel(id, signal).catch(() => undefined)));
  return models.filter((m): m is LoggedModel => m !== undefined);
}

export async function listLoggedModelArtifacts(modelId: string, path: string, signal?: AbortSignal): Promise<FileInfo[]> {
  const body = await apiGet<{ files?: FileInfo[] }>(
    `${MLFLOW}/logged-models/${encodeURIComponent(modelId)}/artifacts/directories`,
    { artifact_directory_path: path || undefined },
    signal,
  );
  return body.files ?? [];
}

/**
 * URL of a file under an `mlflow-artifacts:` location, read through the server's artifact
 * proxy; undefined for storage the proxy does not serve.
 */
export function proxiedFileUrl(artifactUri: string | undefined, path: string): string | undefined {
  if (!artifactUri) return undefined;
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) return undefined;
  const parts = [...match[1].split("/"), ...path.split("/")].filter(Boolean);
  return `ajax-api/2.0/mlflow-artifacts/artifacts/${parts.map(encodeURIComponent).join("/")}`;
}

/** Register `source` as a new version of `name` (model_id for a logged model's source). */
export async function createVersion(opts: { name: string; source: string; runId: string; modelId?: string }): Promise<ModelVersion> {
  const body = await apiPost<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/create`, {
    name: opts.name,
    source: opts.source,
    run_id: opts.runId,
    model_id: opts.modelId,
  });
  return body.model_version;
}
