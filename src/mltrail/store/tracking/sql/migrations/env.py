"""Alembic environment for mltrail's tracking schema.

mltrail runs migrations itself (see ``migrate.py``) and passes an open connection, already in
a transaction, through ``config.attributes["connection"]``. The version table is
``mltrail_alembic_version`` so it never clashes with an MLflow database's ``alembic_version``.
"""

from __future__ import annotations

from alembic import context

from mltrail.store.tracking.sql.migrate import VERSION_TABLE
from mltrail.store.tracking.sql.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "mltrail's migrations run from mltrail itself: open the store "
        "(mltrail.store.tracking.sql.SqlTrackingStore) instead of calling alembic directly."
    )
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
