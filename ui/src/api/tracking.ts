// Calls to MLflow's tracking REST API (the same endpoints the Python client uses).
import { apiGet, apiPost, MLFLOW, MLTRAIL } from "./http";
import type {
  ColumnsResponse, Experiment, FileInfo, Metric, ReducedHistory, Run, RunsTableRequest,
  RunsTableResponse, XAxis,
} from "./types";

export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export async function searchExperiments(opts: {
  filter?: string; viewType?: ViewType; maxResults?: number; orderBy?: string[]; pageToken?: string;
} = {}): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
  const body = await apiPost<{ experiments?: Experiment[]; next_page_token?: string }>(
    `${MLFLOW}/experiments/search`,
    {
      filter: opts.filter || undefined,
      view_type: opts.viewType ?? "ACTIVE_ONLY",
      max_results: opts.maxResults ?? 1000,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    },
  );
  return { experiments: body.experiments ?? [], next_page_token: body.next_page_token };
}

export async function getExperiment(experimentId: string): Promise<Experiment> {
  const body = await apiGet<{ experiment: Experiment }>(`${MLFLOW}/experiments/get`, { experiment_id: experimentId });
  return body.experiment;
}

export async function createExperiment(
  name: string, tags: { key: string; value: string }[] = [], artifactLocation?: string,
): Promise<string> {
  const body = await apiPost<{ experiment_id: string }>(`${MLFLOW}/experiments/create`, {
    name, tags, artifact_location: artifactLocation?.trim() || undefined,
  });
  return body.experiment_id;
}

export const renameExperiment = (experimentId: string, newName: string) =>
  apiPost(`${MLFLOW}/experiments/update`, { experiment_id: experimentId, new_name: newName });
export const deleteExperiment = (experimentId: string) =>
  apiPost(`${MLFLOW}/experiments/delete`, { experiment_id: experimentId });
export const restoreExperiment = (experimentId: string) =>
  apiPost(`${MLFLOW}/experiments/restore`, { experiment_id: experimentId });
export const setExperimentTag = (experimentId: string, key: string, value: string) =>
  apiPost(`${MLFLOW}/experiments/set-experiment-tag`, { experiment_id: experimentId, key, value });
export const deleteExperimentTag = (experimentId: string, key: string) =>
  apiPost(`${MLFLOW}/experiments/delete-experiment-tag`, { experiment_id: experimentId, key });

export async function getRun(runId: string): Promise<Run> {
  const body = await apiGet<{ run: Run }>(`${MLFLOW}/runs/get`, { run_id: runId });
  return body.run;
}

export async function searchRuns(opts: {
  experimentIds: string[]; filter?: string; viewType?: ViewType; maxResults?: number; orderBy?: string[]; pageToken?: string;
}): Promise<{ runs: Run[]; next_page_token?: string }> {
  const body = await apiPost<{ runs?: Run[]; next_page_token?: string }>(`${MLFLOW}/runs/search`, {
    experiment_ids: opts.experimentIds,
    filter: opts.filter || undefined,
    run_view_type: opts.viewType ?? "ACTIVE_ONLY",
    max_results: opts.maxResults ?? 1000,
    order_by: opts.orderBy,
    page_token: opts.pageToken,
  });
  return { runs: body.runs ?? [], next_page_token: body.next_page_token };
}

export const deleteRun = (runId: string) => apiPost(`${MLFLOW}/runs/delete`, { run_id: runId });
export const restoreRun = (runId: string) => apiPost(`${MLFLOW}/runs/restore`, { run_id: runId });
export const setRunTag = (runId: string, key: string, value: string) =>
  apiPost(`${MLFLOW}/runs/set-tag`, { run_id: runId, key, value });
export const deleteRunTag = (runId: string, key: string) =>
  apiPost(`${MLFLOW}/runs/delete-tag`, { run_id: runId, key });
export const renameRun = (runId: string, runName: string) =>
  apiPost(`${MLFLOW}/runs/update`, { run_id: runId, run_name: runName });

/** Every point of one metric (use metricHistoryReduced for charts). */
export async function getMetricHistory(runId: string, key: string): Promise<Metric[]> {
  const body = await apiGet<{ metrics?: Metric[] }>(`${MLFLOW}/metrics/get-history`, { run_id: runId, metric_key: key });
  return body.metrics ?? [];
}

export async function listArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
  const body = await apiGet<{ files?: FileInfo[] }>(`${MLFLOW}/artifacts/list`, { run_id: runId, path: path || undefined });
  return body.files ?? [];
}

/** URL of one run artifact file (served by the tracking server, downloads as attachment for unsafe types). */
export function artifactUrl(runId: string, path: string): string {
  return `get-artifact?run_id=${encodeURIComponent(runId)}&path=${encodeURIComponent(path)}`;
}

// ---- mltrail UI endpoints -----------------------------------------------------------------

export async function runsTable(request: RunsTableRequest, signal?: AbortSignal): Promise<RunsTableResponse> {
  const body = await apiPost<Partial<RunsTableResponse>>(`${MLTRAIL}/runs/table`, request, signal);
  return { runs: body.runs ?? [], next_page_token: body.next_page_token, total_count: body.total_count };
}

export async function experimentColumns(experimentIds: string[], signal?: AbortSignal): Promise<ColumnsResponse> {
  const body = await apiGet<Partial<ColumnsResponse>>(`${MLTRAIL}/experiments/columns`, { experiment_ids: experimentIds }, signal);
  return { params: body.params ?? [], metrics: body.metrics ?? [], tags: body.tags ?? [], truncated: body.truncated };
}

/** A chart-sized reduction of one metric: `buckets` ~ pixel width; x window optional (zoom). */
export function metricHistoryReduced(opts: {
  runId: string; key: string; xAxis?: XAxis; buckets: number; xMin?: number; xMax?: number;
}, signal?: AbortSignal): Promise<ReducedHistory> {
  return apiGet<ReducedHistory>(`${MLTRAIL}/metrics/history-reduced`, {
    run_id: opts.runId,
    metric_key: opts.key,
    x_axis: opts.xAxis ?? "step",
    buckets: opts.buckets,
    x_min: opts.xMin,
    x_max: opts.xMax,
  }, signal);
}
