"""Durability demo for workload (b): a killed process loses nothing it was told was committed.

A writer process calls ``log_metric`` in a loop and prints each step after the call returned.
After about a second it is killed with SIGKILL (no cleanup, no atexit, no flush of anything but
what SQLite already wrote). A fresh process then reopens the store; every printed step must be
there. Stdlib only; the writer and the checker run ``workloads.py`` under the chosen interpreter.

Usage: ``python benchmarks/durability.py [--impl mltrail|mlflow] [--python PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads.py"
RESULT_PREFIX = "BENCH_RESULT "
MLTRAIL_SETTING = (
    "SQLite WAL, synchronous=NORMAL: a committed log call survives a killed process; "
    "an OS crash or power loss may lose the last transactions"
)
FIRST_LINE_TIMEOUT_S = 120.0


def _call(python: str, args: list[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run one workloads.py step to completion and return its result line."""
    proc = subprocess.run(
        [python, str(WORKLOADS), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(f"{args[0]} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")


def _kill_writer(
    python: str,
    common: list[str],
    run_id: str,
    first: int,
    seconds: float,
    cwd: Path,
    env: dict[str, str],
) -> list[int]:
    """Start the writer, SIGKILL it ``seconds`` after its first commit; return printed steps."""
    writer = subprocess.Popen(
        [
            python,
            str(WORKLOADS),
            "durability_writer",
            *common,
            "--run-id",
            run_id,
            "--n",
            str(first),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed: list[int] = []
    started = threading.Event()

    def read() -> None:
        assert writer.stdout is not None
        for line in writer.stdout:
            printed.append(int(line))
            started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not started.wait(FIRST_LINE_TIMEOUT_S):
        writer.kill()
        writer.wait()
        stderr = writer.stderr.read() if writer.stderr else ""
        raise RuntimeError(f"writer printed nothing:\n{stderr[-3000:]}")
    time.sleep(seconds)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    reader.join()  # drains every line the writer printed before it died
    if writer.returncode != -signal.SIGKILL:
        raise RuntimeError(f"writer ended on its own (exit {writer.returncode})")
    return printed


def run_durability(
    python: str,
    impl: str,
    workdir: Path,
    env: dict[str, str],
    rounds: int = 3,
    seconds: float = 1.0,
) -> dict[str, Any]:
    """Kill a writer ``rounds`` times; count committed steps missing after reopening the store."""
    db_path = workdir / "durability.db"
    common = ["--impl", impl, "--db", f"sqlite:///{db_path}", "--workdir", str(workdir)]
    run_id = _call(python, ["durability_setup", *common], workdir, env)["run_id"]
    printed: list[int] = []
    per_round: list[int] = []
    for number in range(rounds):
        steps = _kill_writer(
            python, common, run_id, number * 10_000_000, seconds + 0.25 * number, workdir, env
        )
        printed += steps
        per_round.append(len(steps))
    # A fresh process reopens the store (SQLite recovers the WAL left by the killed writers).
    stored = set(
        _call(python, ["durability_check", *common, "--run-id", run_id], workdir, env)["steps"]
    )
    lost = sorted(set(printed) - stored)
    conn = sqlite3.connect(db_path)  # reading journal_mode does not change it
    try:
        (journal_mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    finally:
        conn.close()
    return {
        "committed_per_round": per_round,
        "committed": len(printed),
        "lost": len(lost),
        "lost_steps": lost[:20],
        "uncommitted_but_stored": len(stored - set(printed)),
        "journal_mode": journal_mode,
        "setting": MLTRAIL_SETTING if impl == "mltrail" else f"journal_mode={journal_mode}",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["mltrail", "mlflow"], default="mltrail")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the impl")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}
    with tempfile.TemporaryDirectory(prefix="mltrail-durability-") as tmp:
        result = run_durability(
            os.path.abspath(args.python), args.impl, Path(tmp), env, args.rounds
        )
    print(f"durability setting ({args.impl}): {result['setting']}")
    print(
        f"{result['committed']} committed log_metric calls over {args.rounds} SIGKILLs, "
        f"{result['lost']} lost after reopening the store "
        f"(journal_mode on disk: {result['journal_mode']})"
    )
    return 1 if result["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
