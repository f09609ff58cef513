"""The SQL tracking store (SQLite, PostgreSQL, MySQL/MariaDB) on SQLAlchemy Core + Alembic."""

from mltrail.store.tracking.sql.store import SqlTrackingStore

__all__ = ["SqlTrackingStore"]
