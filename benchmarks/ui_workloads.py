"""UI workloads: the same data in mltrail's and MLflow's server, timed in headless Chromium.

``run.py --only ui`` calls ``measure_ui`` once per implementation. Stdlib only; the pieces run
in subprocesses: ``ui_seed.py`` (by the implementation's interpreter, writing its SQLite
database through its own client), the server (``mltrail server`` / ``mlflow server``), and
``ui_browser.py`` (Playwright, by mltrail's interpreter).

Seeded databases are cached under ``benchmarks/.cache-ui/<impl>-<version>-<sizes>/`` (seeding
MLflow's 10,000 runs and 1,000,000 points takes minutes); each measurement runs its server on a
fresh copy, so a cached database never changes. Delete the directory to reseed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache-ui"
SEED_SCRIPT = HERE / "ui_seed.py"
BROWSER_SCRIPT = HERE / "ui_browser.py"
MIGRATIONS = ROOT / "src" / "mltrail" / "store" / "tracking" / "sql" / "migrations"
RESULT_PREFIX = "BENCH_RESULT "
SEED_TIMEOUT_S = 3600
BROWSER_TIMEOUT_S = 1800
START_TIMEOUT_S = 120.0

# What each page waits for (see README "UI workloads"): mltrail's own test ids; for MLflow
# 3.17.2 a run-name link inside an ag-grid data row, and the Plotly line path of the chart.
MLTRAIL_ROW = '[data-testid="run-row"]'
MLTRAIL_CHART = '[data-testid="metric-chart"][data-state="drawn"]'
MLFLOW_ROW = '.ag-row a[href*="/runs/"]'
MLFLOW_HISTORY_PAGE = 25_000  # MLflow's metric page fetches the history in pages of 25,000
# MLflow's charts are Plotly SVG: drawn = a line path with data.
MLFLOW_LINE_READY = """
const line = document.querySelector('.js-plotly-plot path.js-line');
return !!line && (line.getAttribute('d') || '').length >= 10;
"""
# ... and on the metric page, complete = every page of the full history arrived (the chart is
# redrawn after each one).
MLFLOW_HISTORY_DONE = """
const pages = performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/metrics/get-history?')).length;
const line = document.querySelector('.js-plotly-plot path.js-line');
return pages >= %d && !!line && (line.getAttribute('d') || '').length >= 10;
"""
VISIBLE = """
const el = document.querySelector(%s);
if (!el) return false;
const box = el.getBoundingClientRect();
return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
"""


@dataclass(frozen=True)
class UiSizes:
    runs: int = 10_000
    points: int = 1_000_000
    key_runs: int = 1000
    keys: int = 5000
    keys_per_run: int = 250
    navigations: int = 5
    warm: bool = True


UI_QUICK = UiSizes(
    runs=500, points=20_000, key_runs=50, keys=500, keys_per_run=50, navigations=3, warm=False
)


def log(message: str) -> None:
    import sys

    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- seeding


def cache_version(impl: str, mlflow_version: str) -> str:
    """Changes whenever the cached database would differ: the seed code, the schema, MLflow."""
    digest = hashlib.sha1(SEED_SCRIPT.read_bytes())
    if impl == "mltrail":
        for path in sorted(MIGRATIONS.rglob("*.py")):
            digest.update(path.name.encode())
        return f"mltrail-{digest.hexdigest()[:10]}"
    return f"mlflow-{mlflow_version}-{digest.hexdigest()[:10]}"


def seeded_db(
    impl: str, python: str, sizes: UiSizes, env: dict[str, str], mlflow_version: str
) -> tuple[Path, dict[str, Any]]:
    """The cached seeded database directory for ``impl`` and ``sizes`` (seeded if missing)."""
    tag = f"r{sizes.runs}-p{sizes.points}-k{sizes.key_runs}x{sizes.keys}x{sizes.keys_per_run}"
    target = CACHE / f"{cache_version(impl, mlflow_version)}-{tag}"
    marker = target / "seeded.json"
    if marker.exists():
        return target, json.loads(marker.read_text())
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log(f"  seeding {impl} UI data into {target.name} (cached for later runs)")
    args = [
        python, str(SEED_SCRIPT), "--impl", impl,
        "--db", f"sqlite:///{partial / 'ui.db'}", "--workdir", str(partial),
        "--runs", str(sizes.runs), "--points", str(sizes.points), "--key-runs",
        str(sizes.key_runs), "--keys", str(sizes.keys), "--keys-per-run", str(sizes.keys_per_run),
    ]  # fmt: skip
    proc = subprocess.run(
        args, cwd=partial, env=env, capture_output=True, text=True, timeout=SEED_TIMEOUT_S
    )
    result = next(
        (json.loads(line[len(RESULT_PREFIX) :]) for line in proc.stdout.splitlines()
         if line.startswith(RESULT_PREFIX)),
        None,
    )  # fmt: skip
    if result is None:
        tail = (proc.stderr or proc.stdout)[-2500:]
        raise RuntimeError(f"{impl} UI seeding failed (exit {proc.returncode}):\n{tail}")
    (partial / "seeded.json").write_text(json.dumps(result))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target, result


def copy_db(source: Path, workdir: Path) -> Path:
    """Copy ``ui.db`` (and any WAL/SHM file next to it) into ``workdir``."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    for path in source.glob("ui.db*"):
        shutil.copy2(path, workdir / path.name)
    return workdir / "ui.db"


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A tracking server subprocess in its own process group, stopped by its pid."""

    def __init__(self, impl: str, python: str, db: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = db.parent / "server.log"
        binary = str(Path(python).parent / impl)
        args = [
            binary, "server", "--host", "127.0.0.1", "--port", str(self.port),
            "--backend-store-uri", f"sqlite:///{db}",
        ]  # fmt: skip
        if impl == "mltrail":
            args += ["--artifacts-destination", str(db.parent / "artifacts")]
        else:
            args += ["--default-artifact-root", str(db.parent / "artifacts")]
        with self.log_path.open("wb") as out:
            self.process = subprocess.Popen(
                args, cwd=db.parent, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.started = time.perf_counter()
        self.wait_ready()
        self.startup_s = time.perf_counter() - self.started

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server not ready after {START_TIMEOUT_S:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-2500:]

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


# --------------------------------------------------------------------------- pages


def visible(selector: str) -> str:
    """A ready predicate: the first element matching ``selector`` has a non-empty box."""
    return VISIBLE % json.dumps(selector)


def targets(impl: str, ids: dict[str, Any]) -> list[dict[str, Any]]:
    """The pages to time, as ``ui_browser.py`` targets (hash route + ready predicate)."""
    runs_exp, keys_exp = ids["runs_experiment_id"], ids.get("keys_experiment_id")
    series_exp, series_run = ids["series_experiment_id"], ids["series_run_id"]
    found: list[dict[str, Any]] = []
    if impl == "mltrail":
        found.append({"name": "ui_runs_page", "path": f"#/experiments/{runs_exp}",
                      "ready": visible(MLTRAIL_ROW)})  # fmt: skip
        found.append({"name": "ui_metric_chart", "path": f"#/metric?runs={series_run}&key=loss",
                      "ready": visible(MLTRAIL_CHART)})  # fmt: skip
        if keys_exp:
            found.append({"name": "ui_keys_page", "path": f"#/experiments/{keys_exp}",
                          "ready": visible(MLTRAIL_ROW)})  # fmt: skip
        return found
    found.append({"name": "ui_runs_page", "path": f"#/experiments/{runs_exp}/runs",
                  "ready": visible(MLFLOW_ROW)})  # fmt: skip
    metric = (
        f"#/metric?runs={quote(json.dumps([series_run]))}&metric={quote(json.dumps('loss'))}"
        f"&experiments={quote(json.dumps([series_exp]))}"
        f"&plot_metric_keys={quote(json.dumps(['loss']))}"
    )
    pages = -(-int(ids["points"]) // MLFLOW_HISTORY_PAGE)
    found.append({"name": "ui_metric_chart", "path": metric, "ready": MLFLOW_LINE_READY,
                  "complete": MLFLOW_HISTORY_DONE % pages, "warm": False})  # fmt: skip
    found.append({"name": "ui_run_metrics_tab",
                  "path": f"#/experiments/{series_exp}/runs/{series_run}/model-metrics",
                  "ready": MLFLOW_LINE_READY})  # fmt: skip
    if keys_exp:
        found.append({"name": "ui_keys_page", "path": f"#/experiments/{keys_exp}/runs",
                      "ready": visible(MLFLOW_ROW)})  # fmt: skip
    return found


def browse(browser_python: str, spec: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [browser_python, str(BROWSER_SCRIPT), json.dumps(spec)],
        cwd=HERE, env=env, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S,
    )  # fmt: skip
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    tail = (proc.stderr or proc.stdout)[-2500:]
    raise RuntimeError(f"browser run failed (exit {proc.returncode}):\n{tail}")


def measure_ui(
    impl: str,
    python: str,
    browser_python: str,
    workdir: Path,
    sizes: UiSizes,
    env: dict[str, str],
    mlflow_version: str,
) -> dict[str, Any]:
    """Seed (or reuse) ``impl``'s data, serve it, time its pages; ``{name: result}``."""
    source, ids = seeded_db(impl, python, sizes, env, mlflow_version)
    db = copy_db(source, workdir / "ui")
    server = Server(impl, python, db, env)
    try:
        spec = {
            "base": server.url,
            "navigations": sizes.navigations,
            "warm": sizes.warm,
            "targets": targets(impl, ids),
        }
        measured = browse(browser_python, spec, env)
    except Exception as exc:
        raise RuntimeError(f"{exc}\nserver log:\n{server.log()}") from exc
    finally:
        server.stop()
    out: dict[str, Any] = {
        name: {"seconds": entry["cold"]["ms"] / 1000, **entry}
        for name, entry in measured["targets"].items()
    }
    out["ui_seed"] = {**ids, "sizes": asdict(sizes), "server_startup_s": server.startup_s}
    out["ui_seed"]["external_requests"] = measured["external_requests"]
    return out


# --------------------------------------------------------------------------- the table


def _ms(results: dict, impl: str, name: str, mode: str = "cold") -> float | None:
    entry = results.get(impl, {}).get(name)
    if not entry or "error" in entry or mode not in entry:
        return None
    return float(entry[mode]["ms"])


def ui_rows(results: dict, sizes: UiSizes) -> list[dict[str, str]]:
    """Table rows (run.py's columns) for the UI workloads that ran."""
    rows: list[dict[str, str]] = []
    if not any("ui_runs_page" in r for r in results.values()):
        return rows

    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:,.0f} ms"

    def add(workload: str, name: str, mode: str, goal_ms: float | None, goal: str) -> None:
        ours, theirs = _ms(results, "mltrail", name, mode), _ms(results, "mlflow", name, mode)
        ratio = f"{theirs / ours:,.1f}x" if ours and theirs else "—"
        met = "" if goal_ms is None else ("n/a" if ours is None else
                                          "yes" if ours < goal_ms else "NO")  # fmt: skip
        rows.append({"workload": workload, "mltrail": cell(ours), "mlflow": cell(theirs),
                     "ratio": ratio, "goal": goal, "met": met})  # fmt: skip

    n = sizes.navigations
    add(f"(ui1) experiment page, {sizes.runs:,} runs: first rows, cold (median of {n})",
        "ui_runs_page", "cold", 1500, "mltrail < 1.5 s")  # fmt: skip
    if sizes.warm:
        add("(ui1) same, warm HTTP cache", "ui_runs_page", "warm", None, "(context)")
    add(f"(ui2) metric chart, {sizes.points:,} points: drawn, cold",
        "ui_metric_chart", "cold", 1000, "mltrail < 1 s")  # fmt: skip
    if sizes.warm:
        add("(ui2) same, warm HTTP cache", "ui_metric_chart", "warm", None, "(context)")
    entry = results.get("mlflow", {}).get("ui_metric_chart") or {}
    complete = entry.get("cold", {}).get("complete_ms")
    if complete is not None or _ms(results, "mltrail", "ui_metric_chart") is not None:
        ours = _ms(results, "mltrail", "ui_metric_chart")
        rows.append({"workload": f"(ui2) all {sizes.points:,} points loaded and drawn, cold",
                     "mltrail": cell(ours), "mlflow": cell(complete),
                     "ratio": f"{complete / ours:,.1f}x" if ours and complete else "—",
                     "goal": "(context)", "met": ""})  # fmt: skip
    theirs = _ms(results, "mlflow", "ui_run_metrics_tab")
    if theirs is not None:
        rows.append({"workload": "(ui2) context: MLflow run page 'Model metrics' tab (sampled)",
                     "mltrail": "—", "mlflow": cell(theirs), "ratio": "—",
                     "goal": "(not a goal)", "met": ""})  # fmt: skip
    if any("ui_keys_page" in r for r in results.values()):
        add(f"(ui3) experiment page, {sizes.keys:,} metric keys x {sizes.key_runs:,} runs, cold",
            "ui_keys_page", "cold", None, "(bonus)")  # fmt: skip
    return rows


def ui_notes(results: dict) -> list[str]:
    notes = []
    for impl in ("mltrail", "mlflow"):
        seed = results.get(impl, {}).get("ui_seed")
        if seed:
            note = f"ui ({impl}): server ready {seed['server_startup_s']:.1f} s after start"
            if seed.get("external_requests"):
                note += f"; blocked external requests: {seed['external_requests'][:3]}"
            notes.append(note)
    return notes
