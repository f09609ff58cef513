// JSON shapes of the REST API (MLflow's protobuf JSON, snake_case) and of mltrail's
// UI endpoints. int64 fields arrive as JSON numbers.
import type { JsonDouble } from "./http";

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: "active" | "deleted";
  creation_time?: number;
  last_update_time?: number;
  tags?: KeyValue[];
}

export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export interface RunInfo {
  run_id: string;
  run_uuid?: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status: RunStatus;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage: "active" | "deleted";
}

export interface Metric {
  key: string;
  value: JsonDouble;
  timestamp: number;
  step: number;
}

export interface RunData {
  metrics?: Metric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

export interface DatasetSummary {
  dataset: { name: string; digest: string; source_type?: string; source?: string; schema?: string; profile?: string };
  tags?: KeyValue[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: { dataset_inputs?: DatasetSummary[] };
  /** MLflow 3: the logged models the run produced. */
  outputs?: { model_outputs?: { model_id: string; step?: number }[] };
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ModelVersionTag extends KeyValue {}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export type Stage = "None" | "Staging" | "Production" | "Archived";

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: Stage;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
  status_message?: string;
  tags?: ModelVersionTag[];
  aliases?: string[];
  model_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: RegisteredModelAlias[];
}

// ---- mltrail UI endpoints (see src/mltrail/server/handlers/ui_*.py) -------------------------

/** One row of POST ajax-api/2.0/mltrail/runs/table: only the requested columns. */
export interface TableRun {
  run_id: string;
  run_name: string;
  experiment_id: string;
  status: RunStatus;
  start_time: number | null;
  end_time: number | null;
  lifecycle_stage: "active" | "deleted";
  user_id: string;
  parent_run_id: string | null;
  source_name: string;
  source_type: string;
  git_commit: string;
  has_model: boolean;
  params: Record<string, string>;
  metrics: Record<string, JsonDouble>;
  tags: Record<string, string>;
}

export interface RunsTableRequest {
  experiment_ids: string[];
  filter?: string;
  run_view_type?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
  order_by?: string[];
  max_results?: number;
  page_token?: string;
  params?: string[];
  metrics?: string[];
  tags?: string[];
}

export interface RunsTableResponse {
  runs: TableRun[];
  next_page_token?: string;
  /** Only on the first page: how many runs match in all. */
  total_count?: number;
}

/** GET ajax-api/2.0/mltrail/experiments/columns: the distinct keys of the experiments. */
export interface ColumnsResponse {
  params: string[];
  metrics: string[];
  tags: string[];
  truncated?: boolean;
}

export type XAxis = "step" | "timestamp";

/** GET ajax-api/2.0/mltrail/metrics/history-reduced. */
export interface ReducedHistory {
  run_id: string;
  metric_key: string;
  x_axis: XAxis;
  /** Points of the whole series (all x). */
  total_points: number;
  /** Points inside the requested window. */
  window_points: number;
  /** [min x, max x] of the whole series (null when empty). */
  x_range: [number, number] | null;
  /** false: `points` holds every point of the window; true: `buckets` hold the reduction. */
  reduced: boolean;
  /** Raw points [step, timestamp, value] (value may be "NaN"/"Infinity"/"-Infinity"). */
  points?: [number, number, JsonDouble][];
  /** Buckets [x_first, x_last, min, max, mean, count] over finite values, ordered by x. */
  buckets?: [number, number, number, number, number, number][];
  /** Non-finite points of the window [x, "NaN" | "Infinity" | "-Infinity"], at most 1000. */
  special?: [number, JsonDouble][];
}
