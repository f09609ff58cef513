"""The ``mlflow.data.context`` input tag as a column of ``run_dataset_inputs`` (for search).

Existing rows are backfilled from their JSON ``tags`` in Python, the same on every backend.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CONTEXT_TAG = "mlflow.data.context"
CONTEXT_MAX = 500


def _context_of(tags: str | None) -> str | None:
    try:
        decoded = json.loads(tags or "{}")
    except ValueError:
        return None
    value = decoded.get(CONTEXT_TAG) if isinstance(decoded, dict) else None
    return value[:CONTEXT_MAX] if isinstance(value, str) else None


def upgrade() -> None:
    op.add_column("run_dataset_inputs", sa.Column("context", sa.String(CONTEXT_MAX), nullable=True))
    inputs = sa.table(
        "run_dataset_inputs",
        sa.column("run_pk", sa.Integer),
        sa.column("dataset_pk", sa.Integer),
        sa.column("tags", sa.Text),
        sa.column("context", sa.String(CONTEXT_MAX)),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(inputs.c.run_pk, inputs.c.dataset_pk, inputs.c.tags).where(
            inputs.c.tags.like(f"%{CONTEXT_TAG}%")
        )
    ).all()
    updates = [
        {"pk": row.run_pk, "dpk": row.dataset_pk, "ctx": context}
        for row in rows
        if (context := _context_of(row.tags)) is not None
    ]
    if updates:
        bind.execute(
            sa.update(inputs)
            .where(
                inputs.c.run_pk == sa.bindparam("pk"),
                inputs.c.dataset_pk == sa.bindparam("dpk"),
            )
            .values(context=sa.bindparam("ctx")),
            updates,
        )


def downgrade() -> None:
    op.drop_column("run_dataset_inputs", "context")
