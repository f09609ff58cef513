"""The in-memory evaluator and the SQL compiler agree on many generated filters and orders."""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from search_data import RUN_ROWS, run_entity

from mltrail.search import parse_run_filter, parse_run_order_by
from mltrail.search.evaluate import run_matches, sort_runs
from mltrail.store.tracking.sql.search_sql import select_runs

VISIBLE = [
    run_entity(r) for r in RUN_ROWS if r.experiment_id == 1 and r.lifecycle_stage == "active"
]

NUMBER_LITERALS = [
    "-1e400", "-1.7976931348623157e308", "-1e308", "-1", "0", "-0.0", "0.5", "0.9", "1",
    "1e308", "1.7976931348623157e308", "1e400", str(10**400),
]  # fmt: skip
NUMBER_OPS = ["=", "!=", "<", "<=", ">", ">="]
STRING_VALUES = ["rf", "RF", "rf ", "r%", "R_", "%f", "core", "Core", "%", "", "x\\%y", "x%y",
                 "cv%", "cv\\_3", "%o%", "FINISHED", "alice", "é%", "É%"]  # fmt: skip
STRING_OPS = ["=", "!=", "LIKE", "ILIKE"]
ORDER_KEYS = ["metrics.acc", "metrics.loss", "params.model", "params.lr", "tags.team",
              "tags.note", "start_time", "end_time", "status", "run_name", "run_id",
              "user_id", "artifact_uri"]  # fmt: skip


def _sql(engine: sa.Engine, filter_string: str, order_by: list[str]) -> list[str]:
    query = select_runs(
        [1], parse_run_filter(filter_string), parse_run_order_by(order_by), ["active"], 0, None
    )
    with engine.connect() as conn:
        return [row.name for row in conn.execute(query)]


def _memory(filter_string: str, order_by: list[str]) -> list[str]:
    comparisons = parse_run_filter(filter_string)
    matching = [run for run in VISIBLE if run_matches(run, comparisons)]
    return [run.info.run_name for run in sort_runs(matching, parse_run_order_by(order_by))]


def _filters() -> list[str]:
    filters = [
        f"metrics.{key} {op} {literal}"
        for key, op, literal in itertools.product(("acc", "loss"), NUMBER_OPS, NUMBER_LITERALS)
    ]
    filters += [f"start_time {op} 2000" for op in NUMBER_OPS]
    for key, op, value in itertools.product(
        ("params.model", "tags.team", "run_name", "status", "user_id"), STRING_OPS, STRING_VALUES
    ):
        if op == "ILIKE" and not value.isascii():
            continue  # SQLite's lower() folds ASCII letters only
        filters.append(f"{key} {op} '{value}'")
    filters += [f"{key} {op}" for key in ("params.lr", "tags.team", "tags.nope")
                for op in ("IS NULL", "IS NOT NULL")]  # fmt: skip
    return filters


def test_filters_agree(search_db: sa.Engine) -> None:
    disagreements = {
        f: (sql, memory)
        for f in _filters()
        if (sql := _sql(search_db, f, [])) != (memory := _memory(f, []))
    }
    assert disagreements == {}


def test_orders_agree(search_db: sa.Engine) -> None:
    orders = [[f"{key} {d}"] for key in ORDER_KEYS for d in ("ASC", "DESC")]
    orders += [[f"{a} {d}", f"{b}"] for a, b in itertools.permutations(ORDER_KEYS[:6], 2)
               for d in ("ASC", "DESC")]  # fmt: skip
    disagreements = {
        tuple(o): (sql, memory)
        for o in orders
        if (sql := _sql(search_db, "", o)) != (memory := _memory("", o))
    }
    assert disagreements == {}
    assert len(orders) > 80
