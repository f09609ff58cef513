"""Plain data records named as in MLflow. No I/O, no imports from the rest of mltrail."""

from mltrail.entities.dataset import (
    Dataset,
    DatasetInput,
    InputTag,
    LoggedModelInput,
    LoggedModelOutput,
)
from mltrail.entities.experiment import Experiment
from mltrail.entities.file_info import FileInfo
from mltrail.entities.lifecycle import LifecycleStage, RunStatus, ViewType
from mltrail.entities.logged_model import LoggedModel, LoggedModelStatus
from mltrail.entities.metric import ExperimentTag, Metric, Param, RunTag
from mltrail.entities.model_registry import (
    ModelVersion,
    ModelVersionStages,
    ModelVersionStatus,
    ModelVersionTag,
    RegisteredModel,
    RegisteredModelAlias,
    RegisteredModelTag,
)
from mltrail.entities.paged_list import PagedList
from mltrail.entities.run import Run, RunData, RunInfo, RunInputs, RunOutputs

__all__ = [
    "Dataset",
    "DatasetInput",
    "Experiment",
    "ExperimentTag",
    "FileInfo",
    "InputTag",
    "LifecycleStage",
    "LoggedModel",
    "LoggedModelInput",
    "LoggedModelOutput",
    "LoggedModelStatus",
    "Metric",
    "ModelVersion",
    "ModelVersionStages",
    "ModelVersionStatus",
    "ModelVersionTag",
    "PagedList",
    "Param",
    "RegisteredModel",
    "RegisteredModelAlias",
    "RegisteredModelTag",
    "Run",
    "RunData",
    "RunInfo",
    "RunInputs",
    "RunOutputs",
    "RunStatus",
    "RunTag",
    "ViewType",
]
