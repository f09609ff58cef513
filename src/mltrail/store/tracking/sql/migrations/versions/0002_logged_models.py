"""Logged models (MLflow 3's LoggedModel) and run inputs/outputs (datasets, model links).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DOUBLE = sa.Float(precision=53).with_variant(mysql.DOUBLE(asdecimal=False), "mysql", "mariadb")
VALUE_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
LONG_TEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def _table_options() -> dict[str, Any]:
    """The same charset and binary collation as the tables of revision 0001."""
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return {}
    collation = bind.exec_driver_sql(
        "SELECT TABLE_COLLATION FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'experiments'"
    ).scalar()
    return {"mysql_charset": "utf8mb4", "mysql_collate": collation or "utf8mb4_bin"}


def _run_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["run_pk"], ["runs.run_pk"], name=f"fk_{table}_run_pk", ondelete="CASCADE"
    )


def _model_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["model_id"],
        ["logged_models.model_id"],
        name=f"fk_{table}_model_id",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    options = _table_options()
    op.create_table(
        "logged_models",
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("experiment_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("artifact_location", sa.String(2048), nullable=False),
        sa.Column("creation_timestamp_ms", sa.BigInteger, nullable=False),
        sa.Column("last_updated_timestamp_ms", sa.BigInteger, nullable=False),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("lifecycle_stage", sa.String(16), nullable=False),
        sa.Column("model_type", sa.String(500), nullable=True),
        sa.Column("source_run_id", sa.String(32), nullable=True),
        sa.Column("status_message", VALUE_TEXT, nullable=True),
        sa.PrimaryKeyConstraint("model_id", name="pk_logged_models"),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiments.experiment_id"],
            name="fk_logged_models_experiment_id",
        ),
        **options,
    )
    op.create_index(
        "ix_logged_models_experiment_id_name", "logged_models", ["experiment_id", "name"]
    )
    for name in ("logged_model_tags", "logged_model_params"):
        op.create_table(
            name,
            sa.Column("model_id", sa.String(64), nullable=False),
            sa.Column("key", sa.String(250), nullable=False),
            sa.Column("value", VALUE_TEXT, nullable=False),
            sa.PrimaryKeyConstraint("model_id", "key", name=f"pk_{name}"),
            _model_fk(name),
            **options,
        )
    op.create_table(
        "logged_model_metrics",
        sa.Column("metric_pk", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("timestamp", sa.BigInteger, nullable=False),
        sa.Column("step", sa.BigInteger, nullable=False),
        sa.Column("value", DOUBLE, nullable=False),
        sa.Column("special", sa.SmallInteger, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=True),
        sa.Column("dataset_name", sa.String(500), nullable=True),
        sa.Column("dataset_digest", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("metric_pk", name="pk_logged_model_metrics"),
        _model_fk("logged_model_metrics"),
        **options,
    )
    op.create_index(
        "ix_logged_model_metrics_model_id_key", "logged_model_metrics", ["model_id", "key"]
    )
    op.create_table(
        "run_model_outputs",
        sa.Column("run_pk", sa.Integer, nullable=False),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.Column("step", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("run_pk", "model_id", name="pk_run_model_outputs"),
        _run_fk("run_model_outputs"),
        **options,
    )
    op.create_table(
        "run_model_inputs",
        sa.Column("run_pk", sa.Integer, nullable=False),
        sa.Column("model_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("run_pk", "model_id", name="pk_run_model_inputs"),
        _run_fk("run_model_inputs"),
        **options,
    )
    op.create_table(
        "datasets",
        sa.Column("dataset_pk", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("experiment_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("digest", sa.String(36), nullable=False),
        sa.Column("source_type", sa.String(36), nullable=False),
        sa.Column("source", VALUE_TEXT, nullable=False),
        sa.Column("schema", LONG_TEXT, nullable=True),
        sa.Column("profile", LONG_TEXT, nullable=True),
        sa.PrimaryKeyConstraint("dataset_pk", name="pk_datasets"),
        sa.UniqueConstraint(
            "experiment_id", "name", "digest", name="uq_datasets_experiment_id_name_digest"
        ),
        sa.ForeignKeyConstraint(
            ["experiment_id"], ["experiments.experiment_id"], name="fk_datasets_experiment_id"
        ),
        **options,
    )
    op.create_table(
        "run_dataset_inputs",
        sa.Column("run_pk", sa.Integer, nullable=False),
        sa.Column("dataset_pk", sa.Integer, nullable=False),
        sa.Column("tags", VALUE_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("run_pk", "dataset_pk", name="pk_run_dataset_inputs"),
        _run_fk("run_dataset_inputs"),
        sa.ForeignKeyConstraint(
            ["dataset_pk"],
            ["datasets.dataset_pk"],
            name="fk_run_dataset_inputs_dataset_pk",
            ondelete="CASCADE",
        ),
        **options,
    )


def downgrade() -> None:
    for name in (
        "run_dataset_inputs",
        "datasets",
        "run_model_inputs",
        "run_model_outputs",
        "logged_model_metrics",
        "logged_model_params",
        "logged_model_tags",
        "logged_models",
    ):
        op.drop_table(name)
