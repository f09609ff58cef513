// MLflow 3 logged models: a model logged in a run is stored outside the run's artifacts, as a
// logged model the run lists among its outputs.
import { apiGet, MLFLOW } from "./http";
import type { FileInfo, Run } from "./types";

export interface LoggedModel {
  model_id: string;
  name: string;
  experiment_id?: string;
  artifact_uri?: string;
  status?: string;
  source_run_id?: string;
  creation_timestamp_ms?: number;
}

export async function getLoggedModel(modelId: string, signal?: AbortSignal): Promise<LoggedModel> {
  const body = await apiGet<{ model: { info: LoggedModel } }>(
    `${MLFLOW}/logged-models/${encodeURIComponent(modelId)}`, {}, signal,
  );
  return body.model.info;
}

/** The logged models a run produced (each once), in the order the run logged them. */
export async function runLoggedModels(run: Run, signal?: AbortSignal): Promise<LoggedModel[]> {
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

/** URL of one file of a logged model (served by the tracking server, wherever it is stored). */
export function loggedModelFileUrl(modelId: string, path: string): string {
  return `${MLFLOW}/logged-models/${encodeURIComponent(modelId)}/artifacts/files?artifact_file_path=${encodeURIComponent(path)}`;
}
