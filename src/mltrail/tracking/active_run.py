"""The active run: :class:`ActiveRun` and the per-thread stack of runs started with ``start_run``.

Each thread has its own stack (nested runs sit on top of their parent) and its own
"last active run", so two threads can each log to their own run.
"""

from __future__ import annotations

import threading
from types import TracebackType

from mltrail.entities import Run


class ActiveRun(Run):
    """A :class:`~mltrail.entities.Run` returned by ``start_run``, usable with ``with``.

    Leaving the ``with`` block ends the run: ``FINISHED`` normally, ``FAILED`` when an
    exception escapes, ``KILLED`` on ``KeyboardInterrupt``. The run's data is a snapshot taken
    when the run started; use ``mltrail.get_run(run.info.run_id)`` for fresh values.
    """

    def __init__(self, run: Run) -> None:
        Run.__init__(self, run.info, run.data, run.inputs, run.outputs)

    def __enter__(self) -> ActiveRun:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        from mltrail.tracking.fluent import end_run_by_id

        if exc_type is None:
            status = "FINISHED"
        elif issubclass(exc_type, KeyboardInterrupt):
            status = "KILLED"
        else:
            status = "FAILED"
        end_run_by_id(self.info.run_id, status)
        return exc_type is None


class _ThreadRuns(threading.local):
    def __init__(self) -> None:
        self.stack: list[ActiveRun] = []
        self.last_active_run_id: str | None = None


_thread_runs = _ThreadRuns()


def run_stack() -> list[ActiveRun]:
    """This thread's stack of active runs (the innermost run last)."""
    return _thread_runs.stack


def last_active_run_id() -> str | None:
    return _thread_runs.last_active_run_id


def set_last_active_run_id(run_id: str | None) -> None:
    _thread_runs.last_active_run_id = run_id


def reset_thread_runs() -> None:
    """Forget this thread's active runs without ending them (tests)."""
    _thread_runs.stack = []
    _thread_runs.last_active_run_id = None
