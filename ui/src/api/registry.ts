// Calls to MLflow's model registry REST API.
import { apiGet, apiPost, apiSend, MLFLOW } from "./http";
import type { ModelVersion, RegisteredModel, Stage } from "./types";

export async function searchRegisteredModels(opts: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string } = {}):
  Promise<{ registered_models: RegisteredModel[]; next_page_token?: string }> {
  const body = await apiGet<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
    `${MLFLOW}/registered-models/search`,
    { filter: opts.filter || undefined, max_results: opts.maxResults ?? 100, order_by: opts.orderBy, page_token: opts.pageToken },
  );
  return { registered_models: body.registered_models ?? [], next_page_token: body.next_page_token };
}

export async function getRegisteredModel(name: string): Promise<RegisteredModel> {
  const body = await apiGet<{ registered_model: RegisteredModel }>(`${MLFLOW}/registered-models/get`, { name });
  return body.registered_model;
}

export async function createRegisteredModel(name: string, description?: string): Promise<RegisteredModel> {
  const body = await apiPost<{ registered_model: RegisteredModel }>(`${MLFLOW}/registered-models/create`, { name, description });
  return body.registered_model;
}

export const renameRegisteredModel = (name: string, newName: string) =>
  apiPost(`${MLFLOW}/registered-models/rename`, { name, new_name: newName });
export const updateRegisteredModel = (name: string, description: string) =>
  apiSend("PATCH", `${MLFLOW}/registered-models/update`, { name, description });
export const deleteRegisteredModel = (name: string) =>
  apiSend("DELETE", `${MLFLOW}/registered-models/delete`, { name });
export const setRegisteredModelTag = (name: string, key: string, value: string) =>
  apiPost(`${MLFLOW}/registered-models/set-tag`, { name, key, value });
export const deleteRegisteredModelTag = (name: string, key: string) =>
  apiSend("DELETE", `${MLFLOW}/registered-models/delete-tag`, { name, key });
export const setAlias = (name: string, alias: string, version: string) =>
  apiPost(`${MLFLOW}/registered-models/alias`, { name, alias, version });
export const deleteAlias = (name: string, alias: string) =>
  apiSend("DELETE", `${MLFLOW}/registered-models/alias`, { name, alias });

export async function searchModelVersions(opts: { filter?: string; maxResults?: number; orderBy?: string[]; pageToken?: string } = {}):
  Promise<{ model_versions: ModelVersion[]; next_page_token?: string }> {
  const body = await apiGet<{ model_versions?: ModelVersion[]; next_page_token?: string }>(
    `${MLFLOW}/model-versions/search`,
    { filter: opts.filter || undefined, max_results: opts.maxResults ?? 1000, order_by: opts.orderBy, page_token: opts.pageToken },
  );
  return { model_versions: body.model_versions ?? [], next_page_token: body.next_page_token };
}

export async function getModelVersion(name: string, version: string): Promise<ModelVersion> {
  const body = await apiGet<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/get`, { name, version });
  return body.model_version;
}

/** A new version of `name` from `source` (`modelId` when the source is a logged model). */
export async function createModelVersion(
  name: string, source: string, runId?: string, description?: string, modelId?: string,
): Promise<ModelVersion> {
  const body = await apiPost<{ model_version: ModelVersion }>(`${MLFLOW}/model-versions/create`, {
    name, source, run_id: runId, description, model_id: modelId,
  });
  return body.model_version;
}

export const updateModelVersion = (name: string, version: string, description: string) =>
  apiSend("PATCH", `${MLFLOW}/model-versions/update`, { name, version, description });
export const deleteModelVersion = (name: string, version: string) =>
  apiSend("DELETE", `${MLFLOW}/model-versions/delete`, { name, version });
export const transitionStage = (name: string, version: string, stage: Stage, archiveExisting: boolean) =>
  apiPost(`${MLFLOW}/model-versions/transition-stage`, {
    name, version, stage, archive_existing_versions: archiveExisting,
  });
export const setModelVersionTag = (name: string, version: string, key: string, value: string) =>
  apiPost(`${MLFLOW}/model-versions/set-tag`, { name, version, key, value });
export const deleteModelVersionTag = (name: string, version: string, key: string) =>
  apiSend("DELETE", `${MLFLOW}/model-versions/delete-tag`, { name, version, key });

/** URL of a file of a registered model version. */
export function modelVersionArtifactUrl(name: string, version: string, path: string): string {
  return `model-versions/get-artifact?name=${encodeURIComponent(name)}&version=${encodeURIComponent(version)}&path=${encodeURIComponent(path)}`;
}
