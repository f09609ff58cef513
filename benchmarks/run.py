"""Run the mltrail-vs-MLflow benchmark suite and print a results table.

Usage: ``.venv/bin/python benchmarks/run.py [--only a,b,...,ui] [--quick] [--impl mltrail]``.

Every workload runs in fresh subprocesses (``workloads.py``), one per implementation, each against
its own fresh ``sqlite:///<tmpdir>/bench.db``. mltrail runs in the repository's ``.venv``; MLflow
runs in ``.venv-mlflow`` at the repository root (shared with the compatibility tests), created
here on first use. Stdlib only. Workload ``ui`` (``ui_workloads.py``) times both servers' web UI
in headless Chromium on the same seeded data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from durability import run_durability
from ui_workloads import UI_QUICK, UiSizes, measure_ui, ui_notes, ui_rows

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKLOADS = HERE / "workloads.py"
RESULTS = HERE / "results" / "latest.json"
MLFLOW_VENV = HERE.parent / ".venv-mlflow"
MLFLOW_VERSION = "3.17.2"
RESULT_PREFIX = "BENCH_RESULT "
IMPLS = ("mltrail", "mlflow")
WORKLOAD_KEYS = ("a", "b", "c", "d", "e", "f", "durability", "ui")
STEP_TIMEOUT_S = 1200


@dataclass(frozen=True)
class Sizes:
    """How much work each workload does; ``--quick`` shrinks everything for a smoke run."""

    import_repeats: int = 5
    log_metric_calls: tuple[int, int] = (5000, 500)  # (mltrail, MLflow)
    batches: int = 50
    batch_size: int = 1000
    batch_repeats: int = 3
    runs: int = 5000
    search_repeats: int = 5
    history_points: int = 200_000
    history_repeats: int = 3
    dataframe_repeats: int = 3
    durability_rounds: int = 3
    ui: UiSizes = field(default_factory=UiSizes)


QUICK = Sizes(
    import_repeats=3,
    log_metric_calls=(500, 100),
    batches=10,
    runs=500,
    search_repeats=3,
    history_points=20_000,
    history_repeats=3,
    dataframe_repeats=3,
    durability_rounds=1,
    ui=UI_QUICK,
)


class WorkloadError(RuntimeError):
    """A workload subprocess failed or printed no result."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- interpreters


def mltrail_python() -> str:
    venv_python = ROOT / ".venv" / "bin" / "python"
    return str(venv_python) if venv_python.exists() else sys.executable


def ensure_mlflow_venv() -> str:
    """Return the MLflow interpreter, creating the venv with the pinned MLflow if needed."""
    python = MLFLOW_VENV / "bin" / "python"
    check = f"import mlflow, sys; sys.exit(mlflow.__version__ != {MLFLOW_VERSION!r})"
    if python.exists() and subprocess.run([python, "-c", check]).returncode == 0:
        return str(python)
    log(f"setting up {MLFLOW_VENV} with mlflow=={MLFLOW_VERSION} (one time, a few minutes)")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MLFLOW_VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, f"mlflow=={MLFLOW_VERSION}"], check=True)
    if subprocess.run([python, "-c", check]).returncode != 0:
        raise SystemExit(f"could not install mlflow=={MLFLOW_VERSION} into {MLFLOW_VENV}")
    return str(python)


def child_env() -> dict[str, str]:
    """Environment for workload processes: no telemetry, no inherited tracking settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.pop("PYTHONPATH", None)
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})
    return env


# --------------------------------------------------------------------------- running steps


def run_step(python: str, impl: str, workload: str, workdir: Path, *options: Any) -> dict:
    """Run one workload in a fresh interpreter (cwd = workdir) and return its JSON result."""
    workdir.mkdir(parents=True, exist_ok=True)
    args = [python, str(WORKLOADS), workload, "--impl", impl]
    if workload != "import":
        args += ["--db", f"sqlite:///{workdir / 'bench.db'}", "--workdir", str(workdir)]
    args += [str(option) for option in options]
    proc = subprocess.run(
        args, cwd=workdir, env=child_env(), capture_output=True, text=True, timeout=STEP_TIMEOUT_S
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (proc.stderr or proc.stdout)[-2500:]
    raise WorkloadError(f"{impl} {workload} failed (exit {proc.returncode}):\n{tail}")


def measure_import(python: str, impl: str, workdir: Path, sizes: Sizes) -> dict:
    run_step(python, impl, "import", workdir)  # warm-up: writes any missing .pyc files
    samples = [run_step(python, impl, "import", workdir) for _ in range(sizes.import_repeats)]
    return {
        "seconds": statistics.median(s["seconds"] for s in samples),
        "rss_delta_kib": statistics.median(s["rss_delta_kib"] for s in samples),
        "samples": samples,
    }


def measure(impl: str, python: str, key: str, workdir: Path, sizes: Sizes) -> dict[str, Any]:
    """Run workload ``key`` for one implementation; return ``{name: result}``."""
    n_calls = sizes.log_metric_calls[IMPLS.index(impl)]
    if key == "a":
        return {"import": measure_import(python, impl, workdir / "a", sizes)}
    if key == "b":
        return {"log_metric": run_step(python, impl, "log_metric", workdir / "b", "--n", n_calls)}
    if key == "c":
        batch: tuple[str | int, ...] = ("--batches", sizes.batches, "--size", sizes.batch_size)
        batch += ("--repeats", sizes.batch_repeats)
        out = {"log_batch": run_step(python, impl, "log_batch", workdir / "c", *batch)}
        if impl == "mltrail":  # the stdlib baseline, run once, by the mltrail interpreter
            for table in ("plain", "primary_key"):
                out[f"raw_executemany_{table}"] = run_step(
                    python, impl, "raw_executemany", workdir / "c", *batch, "--table", table
                )
        return out
    if key in ("d", "f"):
        seeded = workdir / "search"
        out = {}
        marker = seeded / "seeded.json"
        if not marker.exists():  # (d) and (f) share one seeded database per implementation
            shutil.rmtree(seeded, ignore_errors=True)
            out["seed_runs"] = run_step(python, impl, "seed_runs", seeded, "--runs", sizes.runs)
            marker.write_text(json.dumps(out["seed_runs"]))
        if key == "d":
            out["search_filtered"] = run_step(
                python, impl, "search_filtered", seeded, "--repeats", sizes.search_repeats
            )
        else:
            out["search_dataframe"] = run_step(
                python,
                impl,
                "search_dataframe",
                seeded,
                "--repeats",
                sizes.dataframe_repeats,
                "--runs",
                sizes.runs,
            )
        return out
    if key == "e":
        return {
            "metric_history": run_step(
                python,
                impl,
                "metric_history",
                workdir / "e",
                "--n",
                sizes.history_points,
                "--repeats",
                sizes.history_repeats,
            )
        }
    if key == "ui":
        return measure_ui(
            impl, python, mltrail_python(), workdir, sizes.ui, child_env(), MLFLOW_VERSION
        )
    if key == "durability":
        target = workdir / "durability"
        target.mkdir(parents=True, exist_ok=True)
        return {
            "durability": run_durability(
                python, impl, target, child_env(), rounds=sizes.durability_rounds
            )
        }
    raise ValueError(f"unknown workload {key!r}")


# --------------------------------------------------------------------------- the table


def value(results: dict, impl: str, name: str, field: str) -> float | None:
    entry = results.get(impl, {}).get(name)
    return None if not entry or "error" in entry else entry.get(field)


def fmt(number: float | None, unit: str, digits: int = 1) -> str:
    if number is None:
        return "—"
    return f"{number:,.{digits}f} {unit}".strip()


def judge(ratio: float | None, goal: float, higher_is_better: bool = True) -> tuple[str, str]:
    if ratio is None:
        return "—", "n/a"
    met = ratio >= goal if higher_is_better else ratio <= goal
    return f"{ratio:,.1f}x", "yes" if met else "NO"


def build_rows(results: dict, sizes: Sizes) -> list[dict[str, str]]:
    """One row per goal: workload, mltrail, MLflow, ratio, goal, met."""
    rows: list[dict[str, str]] = []

    def add(workload: str, ours: str, theirs: str, ratio: str, met: str, goal: str) -> None:
        rows.append(
            {
                "workload": workload,
                "mltrail": ours,
                "mlflow": theirs,
                "ratio": ratio,
                "goal": goal,
                "met": met,
            }
        )

    def slower_over_faster(name: str, field: str) -> float | None:
        ours, theirs = value(results, "mltrail", name, field), value(results, "mlflow", name, field)
        return theirs / ours if ours and theirs else None

    def faster_over_slower(name: str, field: str) -> float | None:
        ours, theirs = value(results, "mltrail", name, field), value(results, "mlflow", name, field)
        return ours / theirs if ours and theirs else None

    def both(cell: Callable[[str], str]) -> tuple[str, str]:
        return cell("mltrail"), cell("mlflow")

    def mib(impl: str) -> str:
        kib = value(results, impl, "import", "rss_delta_kib")
        return fmt(kib / 1024 if kib is not None else None, "MiB")

    def ms(impl: str, name: str) -> str:
        seconds = value(results, impl, name, "seconds")
        return fmt(seconds * 1000 if seconds is not None else None, "ms")

    if any("import" in r for r in results.values()):
        add(
            "(a) `import` wall time",
            ms("mltrail", "import"),
            ms("mlflow", "import"),
            *judge(slower_over_faster("import", "seconds"), 10),
            ">= 10x faster",
        )
        add(
            "(a) `import` peak RSS growth",
            *both(mib),
            *judge(slower_over_faster("import", "rss_delta_kib"), 3),
            ">= 3x smaller",
        )
    if any("log_metric" in r for r in results.values()):
        add(
            "(b) `log_metric` calls/s (sequential)",
            *both(lambda i: fmt(value(results, i, "log_metric", "calls_per_s"), "", 0)),
            *judge(faster_over_slower("log_metric", "calls_per_s"), 10),
            ">= 10x MLflow",
        )
    if any("log_batch" in r for r in results.values()):
        ours = value(results, "mltrail", "log_batch", "points_per_s")
        raw = value(results, "mltrail", "raw_executemany_plain", "points_per_s")
        add(
            f"(c) `log_batch` points/s ({sizes.batch_size}/batch)",
            fmt(ours, "", 0),
            fmt(value(results, "mlflow", "log_batch", "points_per_s"), "", 0),
            *judge(raw / ours if raw and ours else None, 3, higher_is_better=False),
            "raw executemany <= 3x mltrail",
        )
        add(
            "(c) baseline: raw sqlite3 `executemany`, plain table",
            fmt(raw, "", 0),
            "—",
            "—",
            "",
            "(WAL, synchronous=NORMAL)",
        )
        raw_pk = value(results, "mltrail", "raw_executemany_primary_key", "points_per_s")
        add(
            "(c) context: raw `executemany`, MLflow's metrics primary key",
            fmt(raw_pk, "", 0),
            "—",
            "—",
            "",
            "(not a goal)",
        )
    if any("search_filtered" in r for r in results.values()):
        add(
            f"(d) `search_runs` filter+order, {sizes.runs:,} runs",
            ms("mltrail", "search_filtered"),
            ms("mlflow", "search_filtered"),
            *judge(slower_over_faster("search_filtered", "seconds"), 20),
            ">= 20x faster",
        )
    if any("metric_history" in r for r in results.values()):
        add(
            f"(e) `get_metric_history`, {sizes.history_points:,} points",
            ms("mltrail", "metric_history"),
            ms("mlflow", "metric_history"),
            *judge(slower_over_faster("metric_history", "seconds"), 20),
            ">= 20x faster",
        )
    if any("search_dataframe" in r for r in results.values()):
        add(
            f"(f) `search_runs` -> DataFrame, {sizes.runs:,} runs",
            ms("mltrail", "search_dataframe"),
            ms("mlflow", "search_dataframe"),
            *judge(slower_over_faster("search_dataframe", "seconds"), 10),
            ">= 10x faster",
        )
    if any("durability" in r for r in results.values()):

        def lost_of(impl: str) -> str:
            entry = results.get(impl, {}).get("durability")
            ok = entry and "error" not in entry
            return f"{entry['lost']} of {entry['committed']} lost" if ok else "—"

        lost = value(results, "mltrail", "durability", "lost")
        met = "n/a" if lost is None else ("yes" if lost == 0 else "NO")
        add(
            "durability: committed `log_metric` lost after SIGKILL",
            *both(lost_of),
            "—",
            met,
            "0 lost",
        )
    rows.extend(ui_rows(results, sizes.ui))
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """A Markdown table (readable in a terminal, pasteable into the README)."""
    headers = {
        "workload": "workload",
        "mltrail": "mltrail",
        "mlflow": f"MLflow {MLFLOW_VERSION}",
        "ratio": "ratio",
        "goal": "goal",
        "met": "met?",
    }
    widths = {k: max([len(headers[k]), *(len(r[k]) for r in rows)]) for k in headers}
    right = {"mltrail", "mlflow", "ratio"}

    def line(cells: dict[str, str]) -> str:
        parts = [cells[k].rjust(w) if k in right else cells[k].ljust(w) for k, w in widths.items()]
        return "| " + " | ".join(parts) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":" if k in right else "-" * (w + 2)) for k, w in widths.items()
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def checks(results: dict) -> list[str]:
    """Cross-implementation correctness notes (same rows, same order)."""
    notes = []
    ours = results.get("mltrail", {}).get("search_filtered")
    theirs = results.get("mlflow", {}).get("search_filtered")
    if ours and theirs and "error" not in ours and "error" not in theirs:
        same = (ours["rows"], ours["order_digest"]) == (theirs["rows"], theirs["order_digest"])
        notes.append(
            f"(d) both return {ours['rows']} runs in the same order"
            if same
            else f"(d) MISMATCH: mltrail {ours['rows']} runs ({ours['order_digest']}), "
            f"MLflow {theirs['rows']} runs ({theirs['order_digest']})"
        )
    ours = results.get("mltrail", {}).get("search_dataframe")
    theirs = results.get("mlflow", {}).get("search_dataframe")
    if ours and theirs and "error" not in ours and "error" not in theirs:
        extra, missing = (
            set(ours["columns"]) - set(theirs["columns"]),
            set(theirs["columns"]) - set(ours["columns"]),
        )
        notes.append(
            f"(f) both DataFrames have {ours['rows']} rows and the same {len(ours['columns'])} "
            "columns"
            if not extra and not missing
            else f"(f) DataFrame columns differ: mltrail adds {sorted(extra)}, "
            f"lacks {sorted(missing)}"
        )
    for impl in IMPLS:
        durable = results.get(impl, {}).get("durability")
        if durable and "error" not in durable:
            notes.append(f"durability ({impl}): {durable['setting']}")
    notes.extend(ui_notes(results))
    for impl, entries in results.items():
        for name, entry in entries.items():
            if "error" in entry:
                notes.append(f"FAILED {impl} {name}: {entry['error'].strip().splitlines()[-1]}")
    return notes


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated subset of a,b,c,d,e,f,durability,ui")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--impl", choices=[*IMPLS, "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    keys = args.only.split(",") if args.only else list(WORKLOAD_KEYS)
    unknown = set(keys) - set(WORKLOAD_KEYS)
    if unknown:
        parser.error(f"unknown workloads {sorted(unknown)}; choose from {WORKLOAD_KEYS}")
    args.keys = [k for k in WORKLOAD_KEYS if k in keys]
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    impls = IMPLS if args.impl == "both" else (args.impl,)
    pythons = {"mltrail": mltrail_python()}
    if "mlflow" in impls:
        pythons["mlflow"] = ensure_mlflow_venv()
    tmp = Path(tempfile.mkdtemp(prefix="mltrail-bench-"))
    results: dict[str, dict[str, Any]] = {impl: {} for impl in impls}
    started, load_before = time.time(), os.getloadavg()
    try:
        for key in args.keys:
            for impl in impls:
                log(f"[{time.time() - started:6.0f}s] {key}: {impl} ...")
                try:
                    results[impl].update(measure(impl, pythons[impl], key, tmp / impl, sizes))
                except (WorkloadError, RuntimeError, subprocess.TimeoutExpired) as exc:
                    log(f"  FAILED: {exc}")
                    results[impl][f"{key}_failed"] = {"error": str(exc)}
    finally:
        if args.keep:
            log(f"databases kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    rows = build_rows(results, sizes)
    notes = checks(results)
    print(render(rows))
    for note in notes:
        print(f"- {note}")
    load_after = os.getloadavg()
    print(
        f"- total {time.time() - started:.0f} s on {os.cpu_count()} CPUs; 1-min load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (other work skews the figures)"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "mlflow_version": MLFLOW_VERSION,
        "quick": args.quick,
        "sizes": asdict(sizes),
        "rows": rows,
        "notes": notes,
        "results": results,
        "seconds": time.time() - started,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {args.output}")
    return 1 if any(note.startswith("FAILED") for note in notes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
