"""Entities to and from MLflow's JSON shapes (protobuf JSON with snake_case field names).

Both the server (encoding responses, decoding request entities) and the REST client store
(decoding responses) use these functions, so the two sides cannot drift apart. Rules: int64
values are JSON numbers, unset optional fields are omitted, empty lists are omitted, doubles
that are not finite become the strings "NaN", "Infinity" and "-Infinity".
"""

from __future__ import annotations

import math
from typing import Any

from mltrail.entities import (
    Dataset,
    DatasetInput,
    Experiment,
    ExperimentTag,
    FileInfo,
    InputTag,
    LoggedModel,
    LoggedModelInput,
    LoggedModelOutput,
    LoggedModelStatus,
    Metric,
    Param,
    Run,
    RunData,
    RunInfo,
    RunInputs,
    RunOutputs,
    RunTag,
)

JsonDict = dict[str, Any]


def double_to_json(value: float) -> float | str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def double_from_json(value: Any) -> float:
    """Accept a JSON number or one of the strings protobuf JSON uses (also numeric strings)."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a number")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return float(value)  # handles "NaN", "Infinity", "-Infinity", "2.5"
    raise ValueError(f"expected a number, got {type(value).__name__}")


def key_values_to_json(items: dict[str, str]) -> list[JsonDict]:
    return [{"key": k, "value": v} for k, v in items.items()]


def key_values_from_json(items: list[JsonDict] | None) -> dict[str, str]:
    return {item["key"]: item.get("value", "") for item in items or ()}


# ---- experiments ------------------------------------------------------------------------------
def experiment_to_json(experiment: Experiment) -> JsonDict:
    body: JsonDict = {
        "experiment_id": experiment.experiment_id,
        "name": experiment.name,
        "artifact_location": experiment.artifact_location,
        "lifecycle_stage": experiment.lifecycle_stage,
    }
    if experiment.last_update_time:
        body["last_update_time"] = experiment.last_update_time
    if experiment.creation_time:
        body["creation_time"] = experiment.creation_time
    if experiment.tags:
        body["tags"] = key_values_to_json(experiment.tags)
    return body


def experiment_from_json(body: JsonDict) -> Experiment:
    return Experiment(
        experiment_id=str(body["experiment_id"]),
        name=body.get("name", ""),
        artifact_location=body.get("artifact_location", ""),
        lifecycle_stage=body.get("lifecycle_stage", "active"),
        tags=key_values_from_json(body.get("tags")),
        creation_time=_int_or_none(body.get("creation_time")),
        last_update_time=_int_or_none(body.get("last_update_time")),
    )


def experiment_tag_from_json(body: JsonDict) -> ExperimentTag:
    return ExperimentTag(body["key"], body.get("value", ""))


# ---- metrics, params, tags --------------------------------------------------------------------
def metric_to_json(metric: Metric, with_run_id: bool = False) -> JsonDict:
    body: JsonDict = {
        "key": metric.key,
        "value": double_to_json(metric.value),
        "timestamp": metric.timestamp,
        "step": metric.step,
    }
    if with_run_id and metric.run_id is not None:
        body["run_id"] = metric.run_id
    for name in ("dataset_name", "dataset_digest", "model_id"):
        value = getattr(metric, name)
        if value:
            body[name] = value
    return body


def metric_from_json(body: JsonDict) -> Metric:
    return Metric(
        key=body["key"],
        value=double_from_json(body.get("value")),
        timestamp=int(body.get("timestamp", 0)),
        step=int(body.get("step", 0)),
        run_id=body.get("run_id"),
        dataset_name=body.get("dataset_name"),
        dataset_digest=body.get("dataset_digest"),
        model_id=body.get("model_id"),
    )


def param_from_json(body: JsonDict) -> Param:
    return Param(body["key"], body.get("value", ""))


def run_tag_from_json(body: JsonDict) -> RunTag:
    return RunTag(body["key"], body.get("value", ""))


# ---- runs -------------------------------------------------------------------------------------
def run_info_to_json(info: RunInfo) -> JsonDict:
    body: JsonDict = {
        "run_id": info.run_id,
        "run_uuid": info.run_id,
        "experiment_id": info.experiment_id,
        "user_id": info.user_id or "",
        "status": info.status,
        "start_time": info.start_time or 0,
        "lifecycle_stage": info.lifecycle_stage,
    }
    if info.run_name:
        body["run_name"] = info.run_name
    if info.end_time:
        body["end_time"] = info.end_time
    if info.artifact_uri:
        body["artifact_uri"] = info.artifact_uri
    return body


def run_info_from_json(body: JsonDict) -> RunInfo:
    run_id = body.get("run_id") or body.get("run_uuid") or ""
    return RunInfo(
        run_id=run_id,
        experiment_id=str(body.get("experiment_id", "")),
        run_name=body.get("run_name", ""),
        user_id=body.get("user_id", ""),
        status=body.get("status", "RUNNING"),
        start_time=_int_or_none(body.get("start_time")),
        end_time=_int_or_none(body.get("end_time")),
        artifact_uri=body.get("artifact_uri", ""),
        lifecycle_stage=body.get("lifecycle_stage", "active"),
    )


def run_data_to_json(data: RunData) -> JsonDict:
    body: JsonDict = {}
    if data.latest_metrics:
        body["metrics"] = [metric_to_json(m) for m in data.latest_metrics]
    if data.params:
        body["params"] = key_values_to_json(data.params)
    if data.tags:
        body["tags"] = key_values_to_json(data.tags)
    return body


def run_data_from_json(body: JsonDict) -> RunData:
    return RunData(
        latest_metrics=tuple(metric_from_json(m) for m in body.get("metrics", ())),
        params=key_values_from_json(body.get("params")),
        tags=key_values_from_json(body.get("tags")),
    )


def run_to_json(run: Run, with_outputs: bool = True) -> JsonDict:
    body: JsonDict = {
        "info": run_info_to_json(run.info),
        "data": run_data_to_json(run.data),
        "inputs": run_inputs_to_json(run.inputs),
    }
    if with_outputs:
        outputs: JsonDict = {}
        if run.outputs.model_outputs:
            outputs["model_outputs"] = [model_output_to_json(m) for m in run.outputs.model_outputs]
        body["outputs"] = outputs
    return body


def run_from_json(body: JsonDict) -> Run:
    outputs = body.get("outputs") or {}
    inputs = body.get("inputs") or {}
    return Run(
        info=run_info_from_json(body.get("info", {})),
        data=run_data_from_json(body.get("data", {})),
        inputs=RunInputs(
            dataset_inputs=tuple(
                dataset_input_from_json(d) for d in inputs.get("dataset_inputs", ())
            ),
            model_inputs=tuple(model_input_from_json(m) for m in inputs.get("model_inputs", ())),
        ),
        outputs=RunOutputs(
            model_outputs=tuple(model_output_from_json(m) for m in outputs.get("model_outputs", ()))
        ),
    )


# ---- artifacts --------------------------------------------------------------------------------
def file_info_to_json(info: FileInfo) -> JsonDict:
    body: JsonDict = {"path": info.path, "is_dir": info.is_dir}
    if not info.is_dir and info.file_size is not None:
        body["file_size"] = info.file_size
    return body


def file_info_from_json(body: JsonDict) -> FileInfo:
    size = body.get("file_size")
    is_dir = bool(body.get("is_dir", False))
    return FileInfo(body["path"], is_dir, None if size is None else int(size))


def _int_or_none(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


# ---- run inputs and outputs -------------------------------------------------------------------
def run_inputs_to_json(inputs: RunInputs) -> JsonDict:
    body: JsonDict = {}
    if inputs.dataset_inputs:
        body["dataset_inputs"] = [dataset_input_to_json(d) for d in inputs.dataset_inputs]
    if inputs.model_inputs:
        body["model_inputs"] = [model_input_to_json(m) for m in inputs.model_inputs]
    return body


def dataset_to_json(dataset: Dataset) -> JsonDict:
    body: JsonDict = {
        "name": dataset.name,
        "digest": dataset.digest,
        "source_type": dataset.source_type,
        "source": dataset.source,
    }
    if dataset.schema is not None:
        body["schema"] = dataset.schema
    if dataset.profile is not None:
        body["profile"] = dataset.profile
    return body


def dataset_from_json(body: JsonDict) -> Dataset:
    return Dataset(
        name=body.get("name", ""),
        digest=body.get("digest", ""),
        source_type=body.get("source_type", ""),
        source=body.get("source", ""),
        schema=body.get("schema"),
        profile=body.get("profile"),
    )


def dataset_input_to_json(item: DatasetInput) -> JsonDict:
    body: JsonDict = {"dataset": dataset_to_json(item.dataset)}
    if item.tags:
        body["tags"] = [{"key": t.key, "value": t.value} for t in item.tags]
    return body


def dataset_input_from_json(body: JsonDict) -> DatasetInput:
    tags = tuple(InputTag(t["key"], t.get("value", "")) for t in body.get("tags", ()))
    return DatasetInput(dataset_from_json(body.get("dataset") or {}), tags)


def model_input_to_json(item: LoggedModelInput) -> JsonDict:
    return {"model_id": item.model_id}


def model_input_from_json(body: JsonDict) -> LoggedModelInput:
    return LoggedModelInput(body["model_id"])


def model_output_to_json(item: LoggedModelOutput) -> JsonDict:
    return {"model_id": item.model_id, "step": item.step}


def model_output_from_json(body: JsonDict) -> LoggedModelOutput:
    return LoggedModelOutput(body["model_id"], int(body.get("step", 0)))


# ---- logged models ----------------------------------------------------------------------------
def logged_model_to_json(model: LoggedModel) -> JsonDict:
    info: JsonDict = {
        "model_id": model.model_id,
        "experiment_id": model.experiment_id,
        "name": model.name,
        "creation_timestamp_ms": model.creation_timestamp,
        "last_updated_timestamp_ms": model.last_updated_timestamp,
        "artifact_uri": model.artifact_location,
        "status": model.status,
        "model_type": model.model_type or "",
    }
    if model.source_run_id:
        info["source_run_id"] = model.source_run_id
    if model.status_message:
        info["status_message"] = model.status_message
    if model.tags:
        info["tags"] = key_values_to_json(model.tags)
    data: JsonDict = {}
    if model.params:
        data["params"] = key_values_to_json(model.params)
    if model.metrics:
        data["metrics"] = [metric_to_json(m, with_run_id=True) for m in model.metrics]
    return {"info": info, "data": data}


def logged_model_from_json(body: JsonDict) -> LoggedModel:
    info = body.get("info", {})
    data = body.get("data", {})
    return LoggedModel(
        model_id=info["model_id"],
        experiment_id=str(info.get("experiment_id", "")),
        name=info.get("name", ""),
        artifact_location=info.get("artifact_uri", ""),
        creation_timestamp=int(info.get("creation_timestamp_ms", 0)),
        last_updated_timestamp=int(info.get("last_updated_timestamp_ms", 0)),
        status=info.get("status", LoggedModelStatus.PENDING),
        model_type=info.get("model_type") or None,
        source_run_id=info.get("source_run_id") or None,
        status_message=info.get("status_message") or None,
        tags=key_values_from_json(info.get("tags")),
        params=key_values_from_json(data.get("params")),
        metrics=tuple(metric_from_json(m) for m in data.get("metrics", ())),
    )
