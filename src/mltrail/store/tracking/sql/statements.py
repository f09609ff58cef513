"""The hot-path SQL, written once per dialect and run with ``exec_driver_sql``.

Logging is the hot path (one call per training step), so its statements skip SQLAlchemy's
statement compilation and row processing: plain SQL strings in the driver's parameter style,
executed with ``executemany`` for several rows. Everything else uses SQLAlchemy Core.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Statements:
    dialect: str
    placeholder: str
    # Whether an "insert, ignoring duplicates" executemany reports exactly the inserted rows.
    reliable_insert_rowcount: bool
    select_run_for_write: str
    select_run_state: str
    insert_params: str
    insert_metrics: str
    upsert_latest_metric: str
    upsert_tag: str
    upsert_experiment_tag: str
    update_run_name: str

    def select_params(self, key_count: int) -> str:
        return _select_params(self.dialect, self.placeholder, key_count)


def _quote(dialect: str, name: str) -> str:
    return f"`{name}`" if dialect == "mysql" else f'"{name}"'


@functools.lru_cache(maxsize=256)
def _select_params(dialect: str, placeholder: str, key_count: int) -> str:
    key = _quote(dialect, "key")
    marks = ", ".join([placeholder] * key_count)
    return f"SELECT {key}, value FROM params WHERE run_pk = {placeholder} AND {key} IN ({marks})"


@functools.cache
def statements_for(dialect: str) -> Statements:
    """The hot statements for ``dialect`` ("sqlite", "postgresql" or "mysql")."""
    p = "?" if dialect == "sqlite" else "%s"
    key, ts = _quote(dialect, "key"), _quote(dialect, "timestamp")
    metric_cols = f"run_pk, {key}, {ts}, step, value, special"
    six = ", ".join([p] * 6)
    if dialect == "mysql":
        # MySQL has no ON CONFLICT ... WHERE, so each column is replaced only when the new
        # point is greater. Assignments run left to right and later ones see the new values,
        # hence the order: special and value compare the full (step, timestamp, value) tuple
        # while step and timestamp are untouched; timestamp then needs only (step, timestamp)
        # and step only step, because where those prefixes are equal both choices coincide.
        newer = f"(VALUES(step), VALUES({ts}), VALUES(value)) > (step, {ts}, value)"
        upsert_latest = (
            f"INSERT INTO latest_metrics ({metric_cols}) VALUES ({six}) ON DUPLICATE KEY UPDATE "
            f"special = IF({newer}, VALUES(special), special), "
            f"value = IF({newer}, VALUES(value), value), "
            f"{ts} = IF((VALUES(step), VALUES({ts})) > (step, {ts}), VALUES({ts}), {ts}), "
            f"step = IF(VALUES(step) > step, VALUES(step), step)"
        )
        insert_params = (
            f"INSERT INTO params (run_pk, {key}, value) VALUES ({p}, {p}, {p}) "
            "ON DUPLICATE KEY UPDATE run_pk = run_pk"
        )
        insert_metrics = (
            f"INSERT INTO metrics ({metric_cols}) VALUES ({six}) "
            "ON DUPLICATE KEY UPDATE run_pk = run_pk"
        )
        upsert_tag = (
            f"INSERT INTO tags (run_pk, {key}, value) VALUES ({p}, {p}, {p}) "
            "ON DUPLICATE KEY UPDATE value = VALUES(value)"
        )
        upsert_experiment_tag = (
            f"INSERT INTO experiment_tags (experiment_id, {key}, value) VALUES ({p}, {p}, {p}) "
            "ON DUPLICATE KEY UPDATE value = VALUES(value)"
        )
    else:
        upsert_latest = (
            f"INSERT INTO latest_metrics ({metric_cols}) VALUES ({six}) "
            f"ON CONFLICT (run_pk, {key}) DO UPDATE SET {ts} = excluded.{ts}, "
            "step = excluded.step, value = excluded.value, special = excluded.special "
            f"WHERE (excluded.step, excluded.{ts}, excluded.value) > "
            f"(latest_metrics.step, latest_metrics.{ts}, latest_metrics.value)"
        )
        insert_params = (
            f"INSERT INTO params (run_pk, {key}, value) VALUES ({p}, {p}, {p}) "
            "ON CONFLICT DO NOTHING"
        )
        insert_metrics = (
            f"INSERT INTO metrics ({metric_cols}) VALUES ({six}) ON CONFLICT DO NOTHING"
        )
        upsert_tag = (
            f"INSERT INTO tags (run_pk, {key}, value) VALUES ({p}, {p}, {p}) "
            f"ON CONFLICT (run_pk, {key}) DO UPDATE SET value = excluded.value"
        )
        upsert_experiment_tag = (
            f"INSERT INTO experiment_tags (experiment_id, {key}, value) VALUES ({p}, {p}, {p}) "
            f"ON CONFLICT (experiment_id, {key}) DO UPDATE SET value = excluded.value"
        )
    return Statements(
        dialect=dialect,
        placeholder=p,
        reliable_insert_rowcount=dialect == "sqlite",
        select_run_for_write=f"SELECT run_pk, lifecycle_stage FROM runs WHERE run_id = {p}",
        select_run_state=f"SELECT run_id, lifecycle_stage FROM runs WHERE run_pk = {p}",
        insert_params=insert_params,
        insert_metrics=insert_metrics,
        upsert_latest_metric=upsert_latest,
        upsert_tag=upsert_tag,
        upsert_experiment_tag=upsert_experiment_tag,
        update_run_name=f"UPDATE runs SET name = {p} WHERE run_pk = {p}",
    )
