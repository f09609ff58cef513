"""Asynchronous logging: ``log_*(..., synchronous=False)`` queues metrics, params and tags and
returns at once; one background thread per :class:`AsyncBatchLogger` merges what is queued for
each run into ``log_batch`` calls that respect the store's batch limits.

Guarantees:

* points of one run are written in the order they were queued;
* a failed write never stops later writes (of that run or others); the failure is logged at
  once and raised to the user by the next :meth:`RunOperations.wait` or
  :meth:`AsyncBatchLogger.flush` (which ``end_run`` calls);
* at process exit everything still queued is written; failures then are printed to stderr with
  what was not written, so nothing is dropped silently.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from mltrail.entities import Metric, Param, RunTag
from mltrail.exceptions import (
    BAD_REQUEST,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    MlflowException,
)

_logger = logging.getLogger(__name__)

MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100
MAX_ENTITIES_PER_BATCH = 1000

#: A worker with nothing to do for this long exits; the next enqueue starts a new one.
_IDLE_SECONDS = 5.0
#: Errors caused by one item's content (e.g. a changed param): retried item by item, so one
#: bad item in a merged batch does not take the others down with it.
_ITEM_SPECIFIC_ERRORS = frozenset({INVALID_PARAMETER_VALUE, BAD_REQUEST, RESOURCE_ALREADY_EXISTS})

LogBatch = Callable[[str, list[Metric], list[Param], list[RunTag]], None]

# ---- the process-wide switch -----------------------------------------------------------------
_async_override: bool | None = None


def is_async_logging_enabled() -> bool:
    """True if set in code (:func:`set_async_logging_enabled`) or by
    ``MLFLOW_ENABLE_ASYNC_LOGGING=true`` (or ``1``)."""
    if _async_override is not None:
        return _async_override
    from mltrail.environment_variables import MLFLOW_ENABLE_ASYNC_LOGGING

    try:
        return MLFLOW_ENABLE_ASYNC_LOGGING.get()
    except ValueError as error:
        raise MlflowException(str(error), error_code=INVALID_PARAMETER_VALUE) from None


def set_async_logging_enabled(enabled: bool) -> None:
    """Turn asynchronous logging on or off for this process (and, via the environment
    variable, for child processes it starts), as ``mlflow.config.enable_async_logging``."""
    global _async_override
    from mltrail.environment_variables import MLFLOW_ENABLE_ASYNC_LOGGING

    _async_override = bool(enabled)
    MLFLOW_ENABLE_ASYNC_LOGGING.set("true" if enabled else "false")


# ---- batching ------------------------------------------------------------------------------
def split_batch(
    metrics: Sequence[Metric], params: Sequence[Param], tags: Sequence[RunTag]
) -> Iterator[tuple[list[Metric], list[Param], list[RunTag]]]:
    """Split one logical batch into ``log_batch`` calls within the store limits, in order.

    Within each call params and tags come first, then metrics fill the remaining room; a
    repeated param or tag key starts a new call (stores reject duplicate keys in one batch).
    """
    item = _Item("", list(metrics), list(params), list(tags), _Ticket(""))
    for batch in _build_batches([item]):
        yield _merge(batch.parts.values())


class _Ticket:
    """Completion state of one enqueued item (shared condition; no per-item lock)."""

    __slots__ = ("done", "failure", "parts_pending", "run_id")

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.parts_pending = 0
        self.done = False
        self.failure: _Failure | None = None


@dataclass
class _Failure:
    run_id: str
    error: BaseException
    unwritten: str
    reported: bool = False

    def as_exception(self) -> MlflowException:
        code = self.error.error_code if isinstance(self.error, MlflowException) else INTERNAL_ERROR
        message = getattr(self.error, "message", None) or str(self.error)
        message = message or type(self.error).__name__
        return MlflowException(
            f"Asynchronous logging to run {self.run_id} failed; {self.unwritten} were not "
            f"written: {message}",
            error_code=code,
        )


@dataclass
class _Item:
    run_id: str
    metrics: list[Metric]
    params: list[Param]
    tags: list[RunTag]
    ticket: _Ticket


@dataclass
class _Part:
    """The slice of one item that went into one batch."""

    ticket: _Ticket
    metrics: list[Metric] = field(default_factory=list)
    params: list[Param] = field(default_factory=list)
    tags: list[RunTag] = field(default_factory=list)


@dataclass
class _Batch:
    """One future ``log_batch`` call: at most one part per queued item."""

    parts: dict[_Ticket, _Part] = field(default_factory=dict)
    size: int = 0
    n_metrics: int = 0
    param_keys: set[str] = field(default_factory=set)
    tag_keys: set[str] = field(default_factory=set)

    def part_for(self, ticket: _Ticket) -> _Part:
        part = self.parts.get(ticket)
        if part is None:
            part = self.parts[ticket] = _Part(ticket)
        return part

    def metric_room(self) -> int:
        return min(MAX_METRICS_PER_BATCH - self.n_metrics, MAX_ENTITIES_PER_BATCH - self.size)

    def has_room_for_key(self, kind: str, key: str) -> bool:
        """Room for one more param or tag; a key already in the batch needs another batch
        (stores reject duplicate keys within one batch)."""
        keys = self.param_keys if kind == "params" else self.tag_keys
        limit = MAX_PARAMS_PER_BATCH if kind == "params" else MAX_TAGS_PER_BATCH
        return self.size < MAX_ENTITIES_PER_BATCH and len(keys) < limit and key not in keys


def _merge(parts: Iterable[_Part]) -> tuple[list[Metric], list[Param], list[RunTag]]:
    metrics: list[Metric] = []
    params: list[Param] = []
    tags: list[RunTag] = []
    for part in parts:
        metrics.extend(part.metrics)
        params.extend(part.params)
        tags.extend(part.tags)
    return metrics, params, tags


class _Packer:
    """Packs one run's items, in order, into batches within the store limits.

    Each kind (metrics, params, tags) has its own cursor that only moves forward, so entities
    of one kind are written in the order they were queued, while different kinds share
    batches (a batch full of params still takes tags and metrics).
    """

    def __init__(self) -> None:
        self.batches: list[_Batch] = []
        self._cursor = {"metrics": 0, "params": 0, "tags": 0}

    def _batch_at(self, index: int) -> _Batch:
        if index == len(self.batches):
            self.batches.append(_Batch())
        return self.batches[index]

    def add_keyed(self, ticket: _Ticket, kind: str, entities: Sequence[Param | RunTag]) -> None:
        for entity in entities:
            index = self._cursor[kind]
            while not self._batch_at(index).has_room_for_key(kind, entity.key):
                index += 1
            self._cursor[kind] = index
            batch = self.batches[index]
            part = batch.part_for(ticket)
            if kind == "params":
                part.params.append(entity)  # type: ignore[arg-type]
                batch.param_keys.add(entity.key)
            else:
                part.tags.append(entity)  # type: ignore[arg-type]
                batch.tag_keys.add(entity.key)
            batch.size += 1

    def add_metrics(self, ticket: _Ticket, metrics: Sequence[Metric]) -> None:
        start = 0
        while start < len(metrics):
            index = self._cursor["metrics"]
            batch = self._batch_at(index)
            room = batch.metric_room()
            if room <= 0:
                self._cursor["metrics"] = index + 1
                continue
            chunk = metrics[start : start + room]
            batch.part_for(ticket).metrics.extend(chunk)
            batch.n_metrics += len(chunk)
            batch.size += len(chunk)
            start += len(chunk)


def _build_batches(items: list[_Item]) -> list[_Batch]:
    """Merge one run's queued items into as few store-sized batches as possible."""
    packer = _Packer()
    for item in items:
        packer.add_keyed(item.ticket, "params", item.params)
        packer.add_keyed(item.ticket, "tags", item.tags)
        packer.add_metrics(item.ticket, item.metrics)
    return [batch for batch in packer.batches if batch.parts]


def _describe(metrics: list[Metric], params: list[Param], tags: list[RunTag]) -> str:
    pieces = []
    for noun, entities in (("metric points", metrics), ("params", params), ("tags", tags)):
        if entities:
            keys = sorted({e.key for e in entities})
            shown = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
            pieces.append(f"{len(entities)} {noun} ({shown})")
    return "; ".join(pieces) or "nothing"


# ---- user-facing handle ------------------------------------------------------------------------
class RunOperations:
    """Handle for asynchronously logged data; :meth:`wait` blocks until it is written."""

    def __init__(
        self, tickets: Iterable[_Ticket] = (), logger: AsyncBatchLogger | None = None
    ) -> None:
        self._tickets = list(tickets)
        self._logger = logger

    @classmethod
    def merge(cls, *operations: RunOperations | None) -> RunOperations:
        """One handle that waits for all of ``operations`` (``None`` entries are skipped)."""
        ops = [op for op in operations if op is not None]
        logger = next((op._logger for op in ops if op._logger is not None), None)
        return cls([t for op in ops for t in op._tickets], logger)

    def wait(self) -> None:
        """Block until the data is durably written; raise MlflowException if writing failed."""
        if self._logger is not None:
            self._logger._wait_for(self._tickets)
        failure = next((t.failure for t in self._tickets if t.failure is not None), None)
        if failure is not None:
            failure.reported = True
            raise failure.as_exception() from failure.error


# ---- the queue and its writer thread -----------------------------------------------------------
_live_loggers: weakref.WeakSet[AsyncBatchLogger] = weakref.WeakSet()


class AsyncBatchLogger:
    """Queues ``(run_id, metrics, params, tags)`` and writes them with ``log_batch`` from a
    background daemon thread (started on demand, gone after a few idle seconds)."""

    def __init__(self, log_batch: LogBatch) -> None:
        self._log_batch = log_batch
        self._condition = threading.Condition()
        self._queue: list[_Item] = []
        self._unfinished: dict[_Ticket, None] = {}  # insertion-ordered set
        self._failures: list[_Failure] = []
        self._thread: threading.Thread | None = None
        _live_loggers.add(self)

    # -- producer side ---------------------------------------------------------------------
    def enqueue(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
    ) -> RunOperations:
        """Queue data for ``run_id`` and return at once with a handle to wait on."""
        ticket = _Ticket(run_id)
        if not (metrics or params or tags):
            ticket.done = True
            return RunOperations([ticket], self)
        item = _Item(run_id, list(metrics), list(params), list(tags), ticket)
        with self._condition:
            self._queue.append(item)
            self._unfinished[ticket] = None
            if self._thread is not None:
                self._condition.notify_all()
                return RunOperations([ticket], self)
            started = self._start_writer()
        if not started:  # no new threads at interpreter shutdown: write in this thread
            self._drain_inline()
        return RunOperations([ticket], self)

    def flush(self, run_id: str | None = None) -> None:
        """Block until everything queued so far (for ``run_id``, or all runs) is written, then
        raise the first failure not yet reported to the user, if any."""
        with self._condition:
            pending = [t for t in self._unfinished if run_id is None or t.run_id == run_id]
        self._wait_for(pending)
        self._raise_unreported(run_id)

    def shutdown(self) -> None:
        """Flush everything and stop the writer thread (a later enqueue starts a new one)."""
        self.flush()
        with self._condition:
            thread = self._thread
            self._condition.notify_all()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=_IDLE_SECONDS + 1)

    # -- waiting -------------------------------------------------------------------------------
    def _wait_for(self, tickets: Iterable[_Ticket]) -> None:
        if self._thread is not None and self._thread is threading.current_thread():
            return  # called from log_batch itself: waiting here would deadlock
        with self._condition:
            for ticket in tickets:
                while not ticket.done:
                    self._condition.wait()

    def _raise_unreported(self, run_id: str | None) -> None:
        with self._condition:
            due = [
                f
                for f in self._failures
                if not f.reported and (run_id is None or f.run_id == run_id)
            ]
            for failure in due:
                failure.reported = True
            self._failures = [f for f in self._failures if not f.reported]
        if due:
            error = due[0].as_exception()
            if len(due) > 1:
                error = MlflowException(
                    f"{error.message} (and {len(due) - 1} more asynchronous logging failures; "
                    "see the log)",
                    error_code=error.error_code,
                )
            raise error from due[0].error

    # -- writer thread -----------------------------------------------------------------------
    def _start_writer(self) -> bool:
        """Start the writer thread (lock held); False if the interpreter refuses new threads."""
        thread = threading.Thread(target=self._run, name="mltrail-async-logging", daemon=True)
        try:
            thread.start()
        except RuntimeError:
            return False
        self._thread = thread
        return True

    def _drain_inline(self) -> None:
        """Write whatever is queued from the calling thread (used when no writer can run)."""
        with self._condition:
            items, self._queue = self._queue, []
        if items:
            self._write_items(items)

    def _run(self) -> None:
        while True:
            with self._condition:
                if not self._queue:
                    self._condition.wait(timeout=_IDLE_SECONDS)
                if not self._queue:
                    self._thread = None
                    return
                items, self._queue = self._queue, []
            try:
                self._write_items(items)
            except BaseException as error:  # never leave waiters hanging
                self._fail_remaining(items, error)
                raise

    def _write_items(self, items: list[_Item]) -> None:
        by_run: dict[str, list[_Item]] = {}
        for item in items:
            by_run.setdefault(item.run_id, []).append(item)
        for run_id, run_items in by_run.items():
            batches = _build_batches(run_items)
            for batch in batches:
                for ticket in batch.parts:
                    ticket.parts_pending += 1
            for batch in batches:
                self._write_batch(run_id, list(batch.parts.values()))

    def _write_batch(self, run_id: str, parts: list[_Part]) -> None:
        try:
            self._log_batch(run_id, *_merge(parts))
        except Exception as error:
            isolate = (
                len(parts) > 1
                and isinstance(error, MlflowException)
                and error.error_code in _ITEM_SPECIFIC_ERRORS
            )
            if not isolate:
                self._complete(parts, self._record_failure(run_id, parts, error))
                return
            for part in parts:  # find the bad item(s); the rest are written as they should be
                try:
                    self._log_batch(run_id, part.metrics, part.params, part.tags)
                except Exception as part_error:
                    self._complete([part], self._record_failure(run_id, [part], part_error))
                else:
                    self._complete([part], None)
            return
        self._complete(parts, None)

    def _record_failure(self, run_id: str, parts: list[_Part], error: Exception) -> _Failure:
        failure = _Failure(run_id, error, _describe(*_merge(parts)))
        _logger.error(
            "Asynchronous logging to run %s failed; %s were not written: %s",
            run_id,
            failure.unwritten,
            error,
        )
        with self._condition:
            self._failures = [f for f in self._failures if not f.reported]
            self._failures.append(failure)
        return failure

    def _complete(self, parts: list[_Part], failure: _Failure | None) -> None:
        with self._condition:
            for part in parts:
                ticket = part.ticket
                if failure is not None and ticket.failure is None:
                    ticket.failure = failure
                ticket.parts_pending -= 1
                if ticket.parts_pending <= 0 and not ticket.done:
                    ticket.done = True
                    self._unfinished.pop(ticket, None)
            self._condition.notify_all()

    def _fail_remaining(self, items: list[_Item], error: BaseException) -> None:
        with self._condition:
            for item in items:
                ticket = item.ticket
                if not ticket.done:
                    unwritten = _describe(item.metrics, item.params, item.tags)
                    failure = _Failure(item.run_id, error, unwritten)
                    self._failures.append(failure)
                    ticket.failure = ticket.failure or failure
                    ticket.done = True
                    self._unfinished.pop(ticket, None)
            self._thread = None
            self._condition.notify_all()

    # -- process exit ------------------------------------------------------------------------
    def _flush_at_exit(self) -> None:
        """Write what is queued and print (not raise) any failure nobody was told about."""
        with self._condition:
            pending = list(self._unfinished)
            writer_alive = self._thread is not None and self._thread.is_alive()
        if not writer_alive:
            self._drain_inline()
        self._wait_for(pending)
        with self._condition:
            due = [f for f in self._failures if not f.reported]
            for failure in due:
                failure.reported = True
        for failure in due:
            print(
                f"mltrail: asynchronous logging to run {failure.run_id} failed; "
                f"{failure.unwritten} were NOT written: {failure.error}",
                file=sys.stderr,
            )

    def _reset_after_fork(self) -> None:
        """In a forked child: the parent (whose writer thread did not survive the fork) writes
        what it queued, so the child forgets it instead of waiting for it forever."""
        self._condition = threading.Condition()
        self._thread = None
        for ticket in self._unfinished:
            ticket.done = True
        self._queue, self._unfinished, self._failures = [], {}, []


def _flush_all_at_exit() -> None:
    for logger in list(_live_loggers):
        try:
            logger._flush_at_exit()
        except Exception as error:  # pragma: no cover - last-resort reporting
            print(f"mltrail: flushing asynchronous logs at exit failed: {error}", file=sys.stderr)


def _reset_all_after_fork() -> None:
    for logger in list(_live_loggers):
        logger._reset_after_fork()


atexit.register(_flush_all_at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_all_after_fork)
