"""Runs as a pandas DataFrame, the way ``mlflow.search_runs()`` returns them.

Columns: ``run_id``, ``experiment_id``, ``status``, ``artifact_uri``, ``start_time`` and
``end_time`` (UTC datetimes, NaT when missing), then ``metrics.<key>`` (float, NaN when missing),
``params.<key>`` and ``tags.<key>`` (str, None when missing). Columns are built one at a time
straight from the runs, with no per-row dicts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import Run

if TYPE_CHECKING:
    import pandas as pd

INFO_COLUMNS = ("run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time")


@functools.cache
def _datetime_unit() -> str:
    """The resolution pandas gives a column of UTC timestamps made from epoch milliseconds
    (``ns`` on pandas 2, ``us`` on pandas 3): MLflow's frames have that one."""
    import pandas as pd

    return str(pd.Series([pd.to_datetime(0, unit="ms", utc=True)]).dtype.unit)


def _timestamps(values: list[int | None]) -> Any:
    import numpy as np
    import pandas as pd

    nat = np.iinfo(np.int64).min
    millis = np.fromiter(
        (nat if v is None else v for v in values), dtype=np.int64, count=len(values)
    )
    utc = pd.DatetimeIndex(millis.view("datetime64[ms]")).tz_localize("UTC")
    return utc.as_unit(_datetime_unit())


def _string_columns(
    runs: Sequence[Run], attribute: str, prefix: str
) -> dict[str, list[str | None]]:
    count = len(runs)
    columns: dict[str, list[str | None]] = {}
    for index, run in enumerate(runs):
        for key, value in getattr(run.data, attribute).items():
            column = columns.get(key)
            if column is None:
                column = columns[key] = [None] * count
            column[index] = value
    return {prefix + key: column for key, column in columns.items()}


def _metric_columns(runs: Sequence[Run]) -> dict[str, Any]:
    import numpy as np

    count = len(runs)
    columns: dict[str, Any] = {}
    for index, run in enumerate(runs):
        for metric in run.data.latest_metrics:
            column = columns.get(metric.key)
            if column is None:
                column = columns[metric.key] = np.full(count, np.nan)
            column[index] = metric.value
    return {"metrics." + key: column for key, column in columns.items()}


def runs_to_frame(runs: Sequence[Run]) -> pd.DataFrame:
    """One row per run, in the order given."""
    import pandas as pd

    infos = [run.info for run in runs]
    data: dict[str, Any] = {
        "run_id": [info.run_id for info in infos],
        "experiment_id": [info.experiment_id for info in infos],
        "status": [info.status for info in infos],
        "artifact_uri": [info.artifact_uri for info in infos],
        "start_time": _timestamps([info.start_time for info in infos]),
        "end_time": _timestamps([info.end_time for info in infos]),
    }
    data.update(_metric_columns(runs))
    data.update(_string_columns(runs, "params", "params."))
    data.update(_string_columns(runs, "tags", "tags."))
    return pd.DataFrame(data, index=pd.RangeIndex(len(runs)), copy=False)
