"""Run a ``mltrail models`` command again inside a model's isolated environment.

The parent builds (or reuses) the environment, then starts
``<env>/bin/python -m mltrail.cli.main models <command> ... --env-manager local`` and waits
for it, forwarding SIGINT/SIGTERM/SIGHUP so that stopping the parent stops the child; on
Linux the child also gets SIGTERM if the parent dies without forwarding (SIGKILL).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

from mltrail.exceptions import MlflowException

_FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux for SIGTERM when the parent goes away."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG
    except OSError:
        pass


def prepare_environment(model_dir: str, env_manager: str, overrides: Sequence[str] = ()) -> str:
    """Build or reuse the environment of ``model_dir``; its interpreter's path."""
    from mltrail.pyfunc.env_builder import environment_python, get_or_create_environment
    from mltrail.pyfunc.model_env import read_model_environment

    environment = read_model_environment(model_dir, overrides)
    return str(environment_python(get_or_create_environment(environment, env_manager)))


def run_in_environment(python: str, cli_arguments: Sequence[str], own_group: bool) -> int:
    """Run ``python -m mltrail.cli.main <cli_arguments>``; the child's exit status.

    ``own_group`` puts the child in its own process group, so a terminal's Ctrl-C reaches it
    once (forwarded by the parent) instead of twice (uvicorn force-quits on a second one).
    """
    command = [python, "-m", "mltrail.cli.main", *cli_arguments]
    try:
        child = subprocess.Popen(
            command, preexec_fn=_die_with_parent, process_group=0 if own_group else None
        )
    except OSError as error:
        raise MlflowException(f"Could not start {python}: {error}") from None

    def forward(signum: int, _frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {number: signal.signal(number, forward) for number in _FORWARDED_SIGNALS}
    try:
        while True:
            try:
                status = child.wait()
                break
            except KeyboardInterrupt:  # pragma: no cover - handler replaced above
                continue
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 128 - status if status < 0 else status
