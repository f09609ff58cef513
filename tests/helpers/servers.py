"""Start real tracking servers (mltrail's and MLflow 3.17.2's) as subprocesses for tests.

``start_mltrail_server`` runs ``python -m mltrail.cli.main server`` with this interpreter;
``start_mlflow_server`` runs the real ``mlflow server`` from the separate MLflow virtualenv
(``$MLTRAIL_MLFLOW_VENV`` or ``<repo>/.venv-mlflow``, made by ``./dev setup``).
``run_with_real_mlflow`` runs a Python script under that virtualenv and returns the JSON
object the script prints on its last stdout line, so tests drive the real MLflow client out
of process (mltrail's own test process never imports mlflow).

Every server is stopped by its pid (``ServerHandle.stop`` or the ``with`` block).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mlflow_venv() -> Path:
    """The virtualenv holding the real MLflow 3.17.2; fail clearly when it is missing."""
    venv = Path(os.environ.get("MLTRAIL_MLFLOW_VENV") or REPO_ROOT / ".venv-mlflow")
    if not (venv / "bin" / "mlflow").exists():
        raise RuntimeError(
            f"The real MLflow 3.17.2 is not installed in {venv}. Run `./dev setup` "
            "(or set MLTRAIL_MLFLOW_VENV to a virtualenv with mlflow==3.17.2)."
        )
    return venv


class ServerHandle:
    """A running server subprocess: ``url``, ``pid``, ``stop()``; also a context manager."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
        self.process = process
        self.url = url
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the server (its process group, so workers go too), kill it if needed."""
        if self.process.poll() is not None:
            return
        _signal_group(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the server's own process group (it was started in a new session)."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)


def wait_healthy(handle: ServerHandle, prefix: str = "") -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    health = f"{handle.url}{prefix}/health"
    while time.monotonic() < deadline:
        if handle.process.poll() is not None:
            raise RuntimeError(
                f"The server exited with code {handle.process.returncode} before answering "
                f"{health}. Its output:\n{handle.log()}"
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.1)
    handle.stop()
    raise RuntimeError(f"The server did not answer {health} in time. Its output:\n{handle.log()}")


def spawn_server(
    command: Sequence[str], port: int, log_path: Path, env: Mapping[str, str] | None, cwd: Path
) -> ServerHandle:
    full_env = {**os.environ, **(env or {})}
    log_file = log_path.open("wb")
    try:
        process = subprocess.Popen(
            list(command),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=cwd,
            start_new_session=True,
        )
    finally:
        log_file.close()
    return ServerHandle(process, f"http://127.0.0.1:{port}", log_path)


def start_mltrail_server(
    tmp_path: Path,
    *extra_args: str,
    backend_store_uri: str | None = None,
    env: Mapping[str, str] | None = None,
    static_prefix: str = "",
) -> ServerHandle:
    """Start ``mltrail server`` on a free port of 127.0.0.1 and wait until /health answers.

    The database defaults to ``<tmp_path>/mlflow.db`` and proxied artifacts go to
    ``<tmp_path>/mlartifacts``. ``extra_args`` are appended to the command line; pass
    ``static_prefix`` too when ``--static-prefix`` is among them so the health probe finds it.
    """
    port = free_port()
    backend = backend_store_uri or f"sqlite:///{tmp_path / 'mlflow.db'}"
    command = [
        sys.executable, "-m", "mltrail.cli.main", "server",
        "--host", "127.0.0.1", "--port", str(port),
        "--backend-store-uri", backend,
        "--artifacts-destination", str(tmp_path / "mlartifacts"),
        *extra_args,
    ]  # fmt: skip
    handle = spawn_server(command, port, tmp_path / f"mltrail-server-{port}.log", env, tmp_path)
    wait_healthy(handle, static_prefix)
    return handle


def start_mlflow_server(
    tmp_path: Path,
    *extra_args: str,
    backend_store_uri: str | None = None,
    env: Mapping[str, str] | None = None,
) -> ServerHandle:
    """Start the real MLflow 3.17.2 ``mlflow server`` on a free port and wait for /health."""
    venv = mlflow_venv()
    port = free_port()
    backend = backend_store_uri or f"sqlite:///{tmp_path / 'mlflow-ref.db'}"
    command = [
        str(venv / "bin" / "mlflow"), "server",
        "--host", "127.0.0.1", "--port", str(port),
        "--backend-store-uri", backend,
        "--artifacts-destination", str(tmp_path / "mlflow-ref-artifacts"),
        "--workers", "1",
        *extra_args,
    ]  # fmt: skip
    handle = spawn_server(command, port, tmp_path / f"mlflow-server-{port}.log", env, tmp_path)
    wait_healthy(handle)
    return handle


def run_with_real_mlflow(
    script: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 300.0,
    cwd: Path | None = None,
) -> dict:
    """Run ``script`` with the real MLflow's Python; return the JSON of its last stdout line.

    Typical ``env``: ``{"MLFLOW_TRACKING_URI": server.url}``. HTTP retries are turned down
    (``MLFLOW_HTTP_REQUEST_MAX_RETRIES=0``) unless ``env`` says otherwise, so a server error
    surfaces at once instead of after minutes of back-off.
    """
    venv = mlflow_venv()
    full_env = {
        **os.environ,
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "PYTHONWARNINGS": "ignore",
        **(env or {}),
    }
    full_env.pop("PYTHONPATH", None)  # never let mltrail's tree shadow the real mlflow
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=cwd,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        raise RuntimeError(
            f"The MLflow script failed (exit {result.returncode}).\n"
            f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-8000:]}"
        )
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"The MLflow script's last line is not JSON: {lines[-1]!r}\n"
            f"stderr:\n{result.stderr[-4000:]}"
        ) from exc


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of ``pid`` plus all its descendants, in MiB (Linux only)."""
    total_kb = 0
    for child in _descendants(pid) | {pid}:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024.0


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


#: Prepended to scripts run under the real MLflow client: imports, a client, and
#: ``error_code(call)`` which returns the MlflowException code a call raises (or None).
REAL_CLIENT_PRELUDE = """
import json, os, mlflow, numpy as np
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
client = MlflowClient()

def error_code(call):
    try:
        call()
    except MlflowException as e:
        return e.error_code
    return None
"""


def run_real_client(server: ServerHandle, body: str, cwd: Path) -> dict:
    """Run ``body`` (dedented, after REAL_CLIENT_PRELUDE) with the real MLflow client pointed
    at ``server``; return the JSON its script printed last."""
    import textwrap

    script = REAL_CLIENT_PRELUDE + textwrap.dedent(body)
    return run_with_real_mlflow(script, {"MLFLOW_TRACKING_URI": server.url}, cwd=cwd)
