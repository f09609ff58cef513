"""The model registry: registered models, their versions, tags and aliases.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VALUE_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


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


def _model_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["model_pk"],
        ["registered_models.model_pk"],
        name=f"fk_{table}_model_pk",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    options = _table_options()
    op.create_table(
        "registered_models",
        sa.Column("model_pk", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
        sa.Column("description", VALUE_TEXT, nullable=True),
        sa.Column("last_version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("model_pk", name="pk_registered_models"),
        sa.UniqueConstraint("name", name="uq_registered_models_name"),
        **options,
    )
    op.create_table(
        "registered_model_tags",
        sa.Column("model_pk", sa.Integer, nullable=False),
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("value", VALUE_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("model_pk", "key", name="pk_registered_model_tags"),
        _model_fk("registered_model_tags"),
        **options,
    )
    op.create_table(
        "model_versions",
        sa.Column("model_pk", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("creation_timestamp", sa.BigInteger, nullable=False),
        sa.Column("last_updated_timestamp", sa.BigInteger, nullable=False),
        sa.Column("current_stage", sa.String(20), nullable=False),
        sa.Column("description", VALUE_TEXT, nullable=True),
        sa.Column("source", VALUE_TEXT, nullable=False),
        sa.Column("storage_location", VALUE_TEXT, nullable=False),
        sa.Column("run_id", sa.String(32), nullable=True),
        sa.Column("run_link", VALUE_TEXT, nullable=True),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("status_message", VALUE_TEXT, nullable=True),
        sa.Column("user_id", sa.String(256), nullable=True),
        sa.Column("model_id", sa.String(64), nullable=True),
        sa.Column("deleted_time", sa.BigInteger, nullable=True),
        sa.PrimaryKeyConstraint("model_pk", "version", name="pk_model_versions"),
        _model_fk("model_versions"),
        **options,
    )
    op.create_index("ix_model_versions_run_id", "model_versions", ["run_id"])
    op.create_table(
        "model_version_tags",
        sa.Column("model_pk", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("value", VALUE_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("model_pk", "version", "key", name="pk_model_version_tags"),
        sa.ForeignKeyConstraint(
            ["model_pk", "version"],
            ["model_versions.model_pk", "model_versions.version"],
            name="fk_model_version_tags_model_pk_version",
            ondelete="CASCADE",
        ),
        **options,
    )
    op.create_table(
        "registered_model_aliases",
        sa.Column("model_pk", sa.Integer, nullable=False),
        sa.Column("alias", sa.String(256), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("model_pk", "alias", name="pk_registered_model_aliases"),
        _model_fk("registered_model_aliases"),
        **options,
    )


def downgrade() -> None:
    for name in (
        "registered_model_aliases",
        "model_version_tags",
        "model_versions",
        "registered_model_tags",
        "registered_models",
    ):
        op.drop_table(name)
