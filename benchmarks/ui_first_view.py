"""The first view of a 1,000,000-point chart, before the server has reduced that series.

``ui_workloads.py`` times cold *browser* loads after one warm-up navigation per page, and the
server remembers whole-series reductions (``store/tracking/sql/reduction_cache.py``), so its
chart figure is that of a reopened chart. This script times the other case: for each round a
fresh ``mltrail server`` on a copy of the seeded database, one untimed navigation to another
page (the server's lazy imports), then the chart page once. Run ``benchmarks/run.py --only ui``
first (it seeds ``benchmarks/.cache-ui``); then ``.venv/bin/python benchmarks/ui_first_view.py``.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
from helpers.browser import chromium  # noqa: E402
from helpers.servers import free_port  # noqa: E402
from ui_browser import cold_load, watcher  # noqa: E402
from ui_workloads import MLTRAIL_CHART, MLTRAIL_ROW, visible  # noqa: E402

ROUNDS = 5


def _seeded() -> Path:
    found = sorted((HERE / ".cache-ui").glob("mltrail-*-p1000000-*"))
    if not found:
        raise SystemExit("No seeded mltrail database: run `benchmarks/run.py --only ui` first.")
    return found[-1]


def _server(db: Path, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [str(HERE.parent / ".venv" / "bin" / "mltrail"), "server", "--host", "127.0.0.1",
               "--port", str(port), "--backend-store-uri", f"sqlite:///{db}",
               "--artifacts-destination", str(work / "artifacts")]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    seeded = _seeded()
    ids = json.loads((seeded / "seeded.json").read_text())
    other = {"path": f"#/experiments/{ids['runs_experiment_id']}", "ready": visible(MLTRAIL_ROW)}
    chart = {
        "path": f"#/metric?runs={ids['series_run_id']}&key=loss",
        "ready": visible(MLTRAIL_CHART),
    }
    timings: list[float] = []
    external: list[str] = []
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for _ in range(ROUNDS):
            db = work / "ui.db"
            shutil.copy(seeded / "ui.db", db)
            process, base = _server(db, work)
            try:
                cold_load(browser, f"{base}/{other['path']}", watcher(other), external)
                result = cold_load(browser, f"{base}/{chart['path']}", watcher(chart), external)
                timings.append(result["ms"])
                print(f"first view: {result['ms']:.0f} ms", flush=True)
            finally:
                process.terminate()
                process.wait(timeout=10)
    print(f"median of {ROUNDS}: {statistics.median(timings):.0f} ms (goal < 1000 ms)")
    assert not external, external


if __name__ == "__main__":
    main()
