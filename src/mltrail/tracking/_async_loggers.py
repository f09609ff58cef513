"""The process-wide background loggers used for ``synchronous=False`` logging, one per store."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mltrail.entities import Metric, Param, RunTag

if TYPE_CHECKING:
    from mltrail.store.tracking.abstract import AbstractTrackingStore
    from mltrail.tracking.async_logging import AsyncBatchLogger

_lock = threading.Lock()
_loggers: dict[int, tuple[AbstractTrackingStore, AsyncBatchLogger]] = {}


def log_batch_in_chunks(
    store: AbstractTrackingStore,
    run_id: str,
    metrics: Sequence[Metric],
    params: Sequence[Param],
    tags: Sequence[RunTag],
) -> None:
    """Write a batch of any size as as many store batches as the per-request limits need."""
    from mltrail.tracking.async_logging import split_batch

    for chunk_metrics, chunk_params, chunk_tags in split_batch(metrics, params, tags):
        store.log_batch(run_id, chunk_metrics, chunk_params, chunk_tags)


def use_async(synchronous: bool | None) -> bool:
    """Whether a logging call goes through the background logger."""
    if synchronous is not None:
        return not synchronous
    from mltrail.tracking.async_logging import is_async_logging_enabled

    return is_async_logging_enabled()


def logger_for(store: AbstractTrackingStore) -> AsyncBatchLogger:
    """The background logger writing to ``store``, created on first use.

    The logger merges queued items into batches within the store limits itself.
    """
    entry = _loggers.get(id(store))
    if entry is not None and entry[0] is store:
        return entry[1]
    from mltrail.tracking.async_logging import AsyncBatchLogger

    with _lock:
        entry = _loggers.get(id(store))
        if entry is None or entry[0] is not store:
            entry = (store, AsyncBatchLogger(store.log_batch))
            _loggers[id(store)] = entry
    return entry[1]


def flush(store: AbstractTrackingStore | None = None, run_id: str | None = None) -> None:
    """Wait until queued logging (for one run, or all) is written; raise the first failure."""
    for owner, logger in list(_loggers.values()):
        if store is None or owner is store:
            logger.flush(run_id)


def shutdown_all() -> None:
    """Flush and stop every background logger (tests and interpreter exit)."""
    with _lock:
        entries = list(_loggers.values())
        _loggers.clear()
    for _, logger in entries:
        logger.shutdown()
