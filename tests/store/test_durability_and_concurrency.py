"""SQLite durability against a killed process, and concurrent writers from many threads."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from mltrail.entities import Metric, Param, RunTag
from mltrail.store.tracking.sql import SqlTrackingStore
from mltrail.store.tracking.sql.engine import dispose_database

LOGGER_SCRIPT = textwrap.dedent(
    """
    import sys
    from mltrail.entities import Metric
    from mltrail.store.tracking.sql import SqlTrackingStore

    store = SqlTrackingStore(sys.argv[1], sys.argv[2])
    step = 0
    while True:
        store.log_metric(sys.argv[3], Metric("loss", float(step), 1000 + step, step))
        print(step, flush=True)  # only after log_metric returned, i.e. committed
        step += 1
    """
)


def test_every_committed_point_survives_sigkill(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'durable.db'}"
    store = SqlTrackingStore(uri, str(tmp_path / "art"))
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    process = subprocess.Popen(
        [sys.executable, "-c", LOGGER_SCRIPT, uri, str(tmp_path / "art"), run_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    committed = -1
    for line in process.stdout:
        committed = int(line)
        if committed >= 300:
            break
    process.send_signal(signal.SIGKILL)
    for line in process.stdout:  # whatever was printed before the kill
        committed = int(line)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert committed >= 300

    dispose_database(uri)  # reopen from disk, as a new process would
    reopened = SqlTrackingStore(uri, str(tmp_path / "art"))
    steps = [m.step for m in reopened.get_metric_history(run_id, "loss")]
    assert steps[: committed + 1] == list(range(committed + 1))
    assert len(steps) in (committed + 1, committed + 2)  # the kill may land after a commit
    assert reopened.get_run(run_id).data.metrics["loss"] == float(steps[-1])


def test_eight_threads_write_concurrently_without_losing_anything(store: SqlTrackingStore):
    run_ids = [store.create_run("0", "u", 0, [], f"run-{i}").info.run_id for i in range(2)]
    errors: list[BaseException] = []
    points_per_thread = 150
    start = threading.Barrier(8)

    def work(thread: int) -> None:
        try:
            start.wait()
            run_id = run_ids[thread % 2]
            for step in range(points_per_thread):
                store.log_metric(run_id, Metric(f"t{thread}", float(step), step, step))
                if step % 50 == 0:
                    store.log_batch(
                        run_id,
                        [Metric("shared", float(thread), step, step)],
                        [Param(f"p{thread}-{step}", "v")],
                        [RunTag(f"tag{thread}", str(step))],
                    )
                    store.get_run(run_id)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    for thread in range(8):
        run_id = run_ids[thread % 2]
        history = store.get_metric_history(run_id, f"t{thread}")
        assert [m.step for m in history] == list(range(points_per_thread))
    for parity, run_id in enumerate(run_ids):
        run = store.get_run(run_id)
        assert len(run.data.params) == 4 * 3
        assert len(store.get_metric_history(run_id, "shared")) == 4 * 3
        # greatest (step, timestamp, value): step 100 from the thread with the largest number
        assert run.data.metrics["shared"] == 6.0 + parity


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys
    from mltrail.entities import Metric, Param
    from mltrail.store.tracking.sql import SqlTrackingStore

    store = SqlTrackingStore(sys.argv[1], sys.argv[2])
    run_id, name = sys.argv[3], sys.argv[4]
    for step in range(300):
        store.log_metric(run_id, Metric(name, float(step), step, step))
    store.log_batch(run_id, [Metric("all", 1.0, 0, 0)], [Param(name, "done")], [])
    """
)


def test_processes_write_concurrently_without_database_locked(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'shared.db'}"
    store = SqlTrackingStore(uri, str(tmp_path / "art"))
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, uri, str(tmp_path / "art"), run_id, f"w{i}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    failures = [p.communicate(timeout=120)[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], failures
    run = store.get_run(run_id)
    assert run.data.params == {f"w{i}": "done" for i in range(4)}
    for i in range(4):
        assert len(store.get_metric_history(run_id, f"w{i}")) == 300
    assert len(store.get_metric_history(run_id, "all")) == 1
