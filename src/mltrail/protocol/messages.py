"""The request messages of the MLflow REST API, declared as data.

Each endpoint of ``protocol.endpoints`` has a :class:`Message` listing its fields with their
wire type, whether they repeat and whether they are required. ``protocol.requests`` parses
requests against these declarations, and the server's OpenAPI document is generated from
them. Field names are the protobuf (snake_case) names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Scalar wire types.
STRING, INT64, INT32, DOUBLE, BOOL = "string", "int64", "int32", "double", "bool"

#: Bounds applied to every request (the stores enforce the finer MLflow limits).
MAX_STRING_LENGTH = 1_048_576
MAX_LIST_ITEMS = 10_000


@dataclass(frozen=True, slots=True)
class EnumType:
    """A protobuf enum: accepted as its value name or its number."""

    name: str
    values: dict[str, int]

    def name_of(self, number: int) -> str | None:
        return next((name for name, value in self.values.items() if value == number), None)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: str | EnumType | Message
    repeated: bool = False
    required: bool = False
    max_length: int = MAX_STRING_LENGTH
    max_items: int = MAX_LIST_ITEMS
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """A request (or nested) message. ``one_of_required`` names alternative spellings of
    which at least one must be given (``run_id`` or the legacy ``run_uuid``)."""

    name: str
    fields: tuple[Field, ...]
    one_of_required: tuple[str, ...] = ()
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


RUN_STATUS = EnumType(
    "RunStatus", {"RUNNING": 1, "SCHEDULED": 2, "FINISHED": 3, "FAILED": 4, "KILLED": 5}
)
VIEW_TYPE = EnumType("ViewType", {"ACTIVE_ONLY": 1, "DELETED_ONLY": 2, "ALL": 3})
LOGGED_MODEL_STATUS = EnumType(
    "LoggedModelStatus",
    {
        "LOGGED_MODEL_STATUS_UNSPECIFIED": 0,
        "LOGGED_MODEL_PENDING": 1,
        "LOGGED_MODEL_READY": 2,
        "LOGGED_MODEL_UPLOAD_FAILED": 3,
    },
)


def _f(name: str, type_: str | EnumType | Message = STRING, **options: object) -> Field:
    return Field(name, type_, **options)  # type: ignore[arg-type]


def _req(name: str, type_: str | EnumType | Message = STRING, **options: object) -> Field:
    return Field(name, type_, required=True, **options)  # type: ignore[arg-type]


def _list(name: str, type_: str | EnumType | Message = STRING, **options: object) -> Field:
    return Field(name, type_, repeated=True, **options)  # type: ignore[arg-type]


# ---- nested messages --------------------------------------------------------------------------
KEY_VALUE = Message("KeyValue", (_req("key"), _f("value")))
METRIC = Message(
    "Metric",
    (
        _req("key"),
        _req("value", DOUBLE),
        _req("timestamp", INT64),
        _f("step", INT64),
        _f("model_id"),
        _f("dataset_name"),
        _f("dataset_digest"),
        _f("run_id"),
    ),
)
INPUT_TAG = Message("InputTag", (_req("key"), _f("value")))
DATASET = Message(
    "Dataset",
    (
        _f("name"),
        _f("digest"),
        _f("source_type"),
        _f("source"),
        _f("schema"),
        _f("profile", max_length=16_777_215),
    ),
)
DATASET_INPUT = Message("DatasetInput", (_list("tags", INPUT_TAG), _req("dataset", DATASET)))
MODEL_INPUT = Message("ModelInput", (_req("model_id"),))
MODEL_OUTPUT = Message("ModelOutput", (_req("model_id"), _f("step", INT64)))
DATASET_FILTER = Message("DatasetFilter", (_req("dataset_name"), _f("dataset_digest")))
LOGGED_MODEL_ORDER_BY = Message(
    "OrderBy",
    (_req("field_name"), _f("ascending", BOOL), _f("dataset_name"), _f("dataset_digest")),
)

_NAME_VERSION = (_req("name"), _req("version"))
_REGISTRY_SEARCH = (_f("filter"), _f("max_results", INT64), _list("order_by"), _f("page_token"))
_RUN_ID_OR_UUID = (_f("run_id"), _f("run_uuid"))
_ONE_RUN = ("run_id", "run_uuid")

# ---- endpoint requests (keys are the endpoint names of protocol.endpoints) ----------------------
REQUESTS: dict[str, Message] = {
    "create_experiment": Message(
        "CreateExperiment",
        (_req("name"), _f("artifact_location"), _list("tags", KEY_VALUE)),
    ),
    "get_experiment": Message("GetExperiment", (_req("experiment_id"),)),
    "get_experiment_by_name": Message("GetExperimentByName", (_req("experiment_name"),)),
    "search_experiments": Message(
        "SearchExperiments",
        (
            _f("max_results", INT64),
            _f("page_token"),
            _f("filter"),
            _list("order_by"),
            _f("view_type", VIEW_TYPE),
        ),
    ),
    "update_experiment": Message("UpdateExperiment", (_req("experiment_id"), _req("new_name"))),
    "delete_experiment": Message("DeleteExperiment", (_req("experiment_id"),)),
    "restore_experiment": Message("RestoreExperiment", (_req("experiment_id"),)),
    "set_experiment_tag": Message(
        "SetExperimentTag", (_req("experiment_id"), _req("key"), _f("value"))
    ),
    "delete_experiment_tag": Message("DeleteExperimentTag", (_req("experiment_id"), _req("key"))),
    "create_run": Message(
        "CreateRun",
        (
            _f("experiment_id"),
            _f("user_id"),
            _f("run_name"),
            _f("start_time", INT64),
            _list("tags", KEY_VALUE),
        ),
    ),
    "get_run": Message("GetRun", _RUN_ID_OR_UUID, one_of_required=_ONE_RUN),
    "update_run": Message(
        "UpdateRun",
        (*_RUN_ID_OR_UUID, _f("status", RUN_STATUS), _f("end_time", INT64), _f("run_name")),
        one_of_required=_ONE_RUN,
    ),
    "delete_run": Message("DeleteRun", (_req("run_id"),)),
    "restore_run": Message("RestoreRun", (_req("run_id"),)),
    "search_runs": Message(
        "SearchRuns",
        (
            _list("experiment_ids"),
            _f("filter"),
            _f("run_view_type", VIEW_TYPE),
            _f("max_results", INT32),
            _list("order_by"),
            _f("page_token"),
        ),
    ),
    "log_metric": Message(
        "LogMetric",
        (
            *_RUN_ID_OR_UUID,
            _req("key"),
            _req("value", DOUBLE),
            _req("timestamp", INT64),
            _f("step", INT64),
            _f("model_id"),
            _f("dataset_name"),
            _f("dataset_digest"),
        ),
        one_of_required=_ONE_RUN,
    ),
    "log_param": Message(
        "LogParam", (*_RUN_ID_OR_UUID, _req("key"), _f("value")), one_of_required=_ONE_RUN
    ),
    "set_tag": Message(
        "SetTag", (*_RUN_ID_OR_UUID, _req("key"), _f("value")), one_of_required=_ONE_RUN
    ),
    "delete_tag": Message("DeleteTag", (_req("run_id"), _req("key"))),
    "log_batch": Message(
        "LogBatch",
        (
            _req("run_id"),
            _list("metrics", METRIC),
            _list("params", KEY_VALUE),
            _list("tags", KEY_VALUE),
        ),
    ),
    "log_inputs": Message(
        "LogInputs",
        (_req("run_id"), _list("datasets", DATASET_INPUT), _list("models", MODEL_INPUT)),
    ),
    "log_outputs": Message(
        "LogOutputs", (_req("run_id"), _list("models", MODEL_OUTPUT, required=True))
    ),
    "log_model": Message("LogModel", (_req("run_id"), _req("model_json"))),
    "get_metric_history": Message(
        "GetMetricHistory",
        (*_RUN_ID_OR_UUID, _req("metric_key"), _f("max_results", INT32), _f("page_token")),
        one_of_required=_ONE_RUN,
    ),
    "get_metric_history_bulk_interval": Message(
        "GetMetricHistoryBulkInterval",
        (
            _list("run_ids", required=True, max_items=100),
            _req("metric_key"),
            _f("start_step", INT32),
            _f("end_step", INT32),
            _f("max_results", INT32),
        ),
    ),
    "get_metric_history_bulk": Message(
        "GetMetricHistoryBulk",
        (
            _list("run_id", required=True, max_items=100),
            _req("metric_key"),
            _f("max_results", INT32),
        ),
    ),
    "list_artifacts": Message(
        "ListArtifacts",
        (*_RUN_ID_OR_UUID, _f("path"), _f("page_token")),
        one_of_required=_ONE_RUN,
    ),
    "search_datasets": Message(
        "SearchDatasets", (_list("experiment_ids", required=True, max_items=20),)
    ),
    # ---- mltrail's web UI endpoints (bounds: mltrail.store.tracking.ui_queries) ----
    "search_runs_table": Message(
        "RunsTable",
        (
            _list("experiment_ids", required=True, max_items=50, max_length=32),
            _f("filter", max_length=100_000),
            _f("run_view_type", VIEW_TYPE),
            _f("max_results", INT32),
            _list("order_by", max_items=10, max_length=1000),
            _f("page_token", max_length=1000),
            _list("params", max_items=500, max_length=250),
            _list("metrics", max_items=500, max_length=250),
            _list("tags", max_items=500, max_length=250),
        ),
    ),
    "get_experiment_columns": Message(
        "ExperimentColumns", (_list("experiment_ids", required=True, max_items=50, max_length=32),)
    ),
    "get_metric_history_reduced": Message(
        "GetMetricHistoryReduced",
        (
            _req("run_id", max_length=256),
            _req("metric_key", max_length=250),
            _f("x_axis", max_length=16),
            _req("buckets", INT32),
            _f("x_min", DOUBLE),
            _f("x_max", DOUBLE),
        ),
    ),
    "create_logged_model": Message(
        "CreateLoggedModel",
        (
            _req("experiment_id"),
            _f("name"),
            _f("model_type"),
            _f("source_run_id"),
            _list("params", KEY_VALUE),
            _list("tags", KEY_VALUE),
        ),
    ),
    "search_logged_models": Message(
        "SearchLoggedModels",
        (
            _list("experiment_ids", required=True),
            _f("filter"),
            _list("datasets", DATASET_FILTER),
            _f("max_results", INT32),
            _list("order_by", LOGGED_MODEL_ORDER_BY),
            _f("page_token"),
        ),
    ),
    "get_logged_model": Message("GetLoggedModel", (_req("model_id"), _f("allow_deleted", BOOL))),
    "finalize_logged_model": Message(
        "FinalizeLoggedModel", (_req("model_id"), _req("status", LOGGED_MODEL_STATUS))
    ),
    "delete_logged_model": Message("DeleteLoggedModel", (_req("model_id"),)),
    "set_logged_model_tags": Message(
        "SetLoggedModelTags", (_req("model_id"), _list("tags", KEY_VALUE))
    ),
    "delete_logged_model_tag": Message("DeleteLoggedModelTag", (_req("model_id"), _req("tag_key"))),
    "log_logged_model_params": Message(
        "LogLoggedModelParams", (_req("model_id"), _list("params", KEY_VALUE))
    ),
    "list_logged_model_artifacts": Message(
        "ListLoggedModelArtifacts", (_req("model_id"), _f("artifact_directory_path"))
    ),
    # ---- model registry (rest-registry.md §2); ``version`` is a string holding an integer ----
    "create_registered_model": Message(
        "CreateRegisteredModel",
        (_req("name"), _list("tags", KEY_VALUE), _f("description"), _f("deployment_job_id")),
    ),
    "get_registered_model": Message("GetRegisteredModel", (_req("name"),)),
    "rename_registered_model": Message("RenameRegisteredModel", (_req("name"), _req("new_name"))),
    "update_registered_model": Message(
        "UpdateRegisteredModel", (_req("name"), _f("description"), _f("deployment_job_id"))
    ),
    "delete_registered_model": Message("DeleteRegisteredModel", (_req("name"),)),
    "search_registered_models": Message("SearchRegisteredModels", _REGISTRY_SEARCH),
    "get_latest_versions": Message("GetLatestVersions", (_req("name"), _list("stages"))),
    "set_registered_model_tag": Message(
        "SetRegisteredModelTag", (_req("name"), _req("key"), _f("value"))
    ),
    "delete_registered_model_tag": Message("DeleteRegisteredModelTag", (_req("name"), _req("key"))),
    "set_registered_model_alias": Message(
        "SetRegisteredModelAlias", (_req("name"), _req("alias"), _req("version"))
    ),
    "delete_registered_model_alias": Message(
        "DeleteRegisteredModelAlias", (_req("name"), _req("alias"))
    ),
    "get_model_version_by_alias": Message("GetModelVersionByAlias", (_req("name"), _req("alias"))),
    "create_model_version": Message(
        "CreateModelVersion",
        (
            _req("name"),
            _req("source"),
            _f("run_id"),
            _list("tags", KEY_VALUE),
            _f("run_link"),
            _f("description"),
            _f("model_id"),
        ),
    ),
    "get_model_version": Message("GetModelVersion", _NAME_VERSION),
    "update_model_version": Message("UpdateModelVersion", (*_NAME_VERSION, _f("description"))),
    "delete_model_version": Message("DeleteModelVersion", _NAME_VERSION),
    "search_model_versions": Message("SearchModelVersions", _REGISTRY_SEARCH),
    "transition_model_version_stage": Message(
        "TransitionModelVersionStage",
        (*_NAME_VERSION, _req("stage"), _f("archive_existing_versions", BOOL)),
    ),
    "get_model_version_download_uri": Message("GetModelVersionDownloadUri", _NAME_VERSION),
    "set_model_version_tag": Message(
        "SetModelVersionTag", (*_NAME_VERSION, _req("key"), _f("value"))
    ),
    "delete_model_version_tag": Message("DeleteModelVersionTag", (*_NAME_VERSION, _req("key"))),
}
