"""Progress bars for large artifact transfers (uploads and downloads).

``transfer_progress`` yields a callback that takes a byte count. Small transfers (under
:data:`PROGRESS_BAR_MIN_BYTES`), unknown sizes and ``MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR=false``
get a silent no-op; large ones draw a rich progress bar on stderr. rich is imported only when a
bar is actually shown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Transfers at least this big get a progress bar.
PROGRESS_BAR_MIN_BYTES = 50 * 1024 * 1024
PROGRESS_BAR_ENV = "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"

Advance = Callable[[int], None]


def _ignore(_count: int) -> None:
    """The callback of a transfer without a progress bar."""


def progress_bars_enabled() -> bool:
    """False when ``MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR`` is ``false`` or ``0``."""
    return os.environ.get(PROGRESS_BAR_ENV, "true").strip().lower() not in ("false", "0")


@contextmanager
def transfer_progress(description: str, total_bytes: int | None) -> Iterator[Advance]:
    """Yield ``advance(byte_count)``; draws a bar only for large transfers of known size."""
    if total_bytes is None or total_bytes < PROGRESS_BAR_MIN_BYTES or not progress_bars_enabled():
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with progress:
        task = progress.add_task(description, total=total_bytes)
        yield lambda count: progress.advance(task, count)
