"""The initial tracking schema: experiments, runs, params, tags, metrics and latest metrics.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DOUBLE = sa.Float(precision=53).with_variant(mysql.DOUBLE(asdecimal=False), "mysql", "mariadb")
VALUE_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
# Binary collations that do not ignore trailing spaces come first: 'a' and 'a ' are two keys.
_MYSQL_COLLATIONS = ("utf8mb4_nopad_bin", "utf8mb4_0900_bin", "utf8mb4_bin")


def _table_options() -> dict[str, Any]:
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return {}
    available = {
        row[0]
        for row in bind.exec_driver_sql(
            "SELECT COLLATION_NAME FROM information_schema.COLLATIONS "
            "WHERE CHARACTER_SET_NAME = 'utf8mb4'"
        )
    }
    collation = next((c for c in _MYSQL_COLLATIONS if c in available), "utf8mb4_bin")
    return {"mysql_charset": "utf8mb4", "mysql_collate": collation}


def upgrade() -> None:
    options = _table_options()
    op.create_table(
        "experiments",
        sa.Column("experiment_id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("artifact_location", sa.String(2048), nullable=False),
        sa.Column("lifecycle_stage", sa.String(16), nullable=False),
        sa.Column("creation_time", sa.BigInteger, nullable=True),
        sa.Column("last_update_time", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("experiment_id", name="pk_experiments"),
        sa.UniqueConstraint("name", name="uq_experiments_name"),
        **options,
    )
    op.create_table(
        "experiment_tags",
        sa.Column("experiment_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("value", VALUE_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("experiment_id", "key", name="pk_experiment_tags"),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name="fk_experiment_tags_experiment_id",
            ondelete="CASCADE",
        ),
        **options,
    )
    op.create_table(
        "runs",
        sa.Column("run_pk", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("experiment_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(250), nullable=False),
        sa.Column("user_id", sa.String(256), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("start_time", sa.BigInteger, nullable=True),
        sa.Column("end_time", sa.BigInteger, nullable=True),
        sa.Column("artifact_uri", sa.String(2048), nullable=False),
        sa.Column("lifecycle_stage", sa.String(16), nullable=False),
        sa.Column("deleted_time", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("run_pk", name="pk_runs"),
        sa.UniqueConstraint("run_id", name="uq_runs_run_id"),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["experiments.experiment_id"], name="fk_runs_experiment_id"
        ),
        **options,
    )
    op.create_index(
        "ix_runs_experiment_id_lifecycle_stage_start_time",
        "runs",
        ["experiment_id", "lifecycle_stage", "start_time"],
    )
    for name in ("params", "tags"):
        op.create_table(
            name,
            sa.Column("run_pk", sa.Integer, nullable=False),
            sa.Column("key", sa.String(250), nullable=False),
            sa.Column("value", VALUE_TEXT, nullable=False),
            sa.PrimaryKeyConstraint("run_pk", "key", name=f"pk_{name}"),
            sa.ForeignKeyConstraint(
                ["run_pk"], ["runs.run_pk"], name=f"fk_{name}_run_pk", ondelete="CASCADE"
            ),
            sqlite_with_rowid=False,
            **options,
        )
        op.create_index(f"ix_{name}_key_run_pk", name, ["key", "run_pk"])
    op.create_table(
        "metrics",
        *_metric_columns(),
        sa.PrimaryKeyConstraint(
            "run_pk", "key", "timestamp", "step", "value", "special", name="pk_metrics"
        ),
        sa.ForeignKeyConstraint(
            ["run_pk"], ["runs.run_pk"], name="fk_metrics_run_pk", ondelete="CASCADE"
        ),
        sqlite_with_rowid=False,
        **options,
    )
    op.create_table(
        "latest_metrics",
        *_metric_columns(),
        sa.PrimaryKeyConstraint("run_pk", "key", name="pk_latest_metrics"),
        sa.ForeignKeyConstraint(
            ["run_pk"], ["runs.run_pk"], name="fk_latest_metrics_run_pk", ondelete="CASCADE"
        ),
        sqlite_with_rowid=False,
        **options,
    )
    op.create_index("ix_latest_metrics_key_value", "latest_metrics", ["key", "value"])


def _metric_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("run_pk", sa.Integer, nullable=False),
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("timestamp", sa.BigInteger, nullable=False),
        sa.Column("step", sa.BigInteger, nullable=False),
        sa.Column("value", DOUBLE, nullable=False),
        sa.Column("special", sa.SmallInteger, nullable=False),
    ]


def downgrade() -> None:
    for name in ("latest_metrics", "metrics", "tags", "params", "runs", "experiment_tags"):
        op.drop_table(name)
    op.drop_table("experiments")
