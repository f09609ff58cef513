"""Bring a database to the current schema, cheaply when it already is.

Opening an up-to-date database costs one SELECT on the version table; Alembic (about 100 ms
to import) is only loaded when the database is new or behind. MLflow databases are refused
with a clear message: mltrail has its own schema and never touches MLflow's tables.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from mltrail.exceptions import INVALID_STATE, MlflowException
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database

VERSION_TABLE = "mltrail_alembic_version"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _head_revision() -> str:
    """The newest revision, read from the script names (``NNNN_description.py`` holds revision
    ``NNNN``) without importing Alembic; a test checks that Alembic agrees."""
    numbers = [
        name.split("_", 1)[0]
        for name in os.listdir(MIGRATIONS_DIR / "versions")
        if name.endswith(".py") and name.split("_", 1)[0].isdigit()
    ]
    return max(numbers, key=int)


HEAD_REVISION = _head_revision()


def current_revision(database: Database) -> str | None:
    """The schema revision recorded in the database, or None when it has no version table."""
    try:
        with database.engine.connect() as conn:
            row = conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


def ensure_schema(database: Database, after_create: Callable[[Connection], None]) -> None:
    """Create or upgrade the schema; ``after_create`` runs in the same transaction (seeding)."""
    revision = current_revision(database)
    if revision == HEAD_REVISION:
        return
    if revision is None:
        _refuse_foreign_database(database)
    _upgrade(database, after_create)


def _refuse_foreign_database(database: Database) -> None:
    with database.engine.connect() as conn:
        inspector = inspect(conn)
        tables = set(inspector.get_table_names())
        is_mlflow = (
            "alembic_version" in tables
            and "runs" in tables
            and any(column["name"] == "run_uuid" for column in inspector.get_columns("runs"))
        )
    where = database.engine.url.render_as_string(hide_password=True)
    if is_mlflow:
        raise MlflowException(
            f"The database '{where}' is an MLflow tracking database. mltrail uses its own "
            "schema and does not read or modify MLflow's tables. Point mltrail at a new "
            "database (for example --backend-store-uri sqlite:///mltrail.db); to bring MLflow "
            "data over, export it with MLflow and import it into mltrail.",
            error_code=INVALID_STATE,
        )
    clashing = sorted(tables & set(schema.metadata.tables))
    if clashing:
        raise MlflowException(
            f"The database '{where}' already has tables named {clashing} that were not created "
            "by mltrail (it has no mltrail version table). Point mltrail at a new database.",
            error_code=INVALID_STATE,
        )


def _upgrade(database: Database, after_create: Callable[[Connection], None]) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with database.write() as conn:
        _lock_for_migration(conn)
        try:
            was_new = _version_of(conn) is None
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except CommandError as e:
                where = database.engine.url.render_as_string(hide_password=True)
                raise MlflowException(
                    f"Cannot upgrade the database '{where}': {e}. It may have been created by "
                    "a newer version of mltrail; upgrade mltrail.",
                    error_code=INVALID_STATE,
                ) from e
            if was_new:
                after_create(conn)
        finally:
            _unlock_after_migration(conn)


def _version_of(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    row = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).first()
    return None if row is None else str(row[0])


def _lock_for_migration(conn: Connection) -> None:
    """Serialise concurrent first opens (SQLite is already serialised by BEGIN IMMEDIATE)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(72196813)")
    elif dialect in ("mysql", "mariadb"):
        conn.exec_driver_sql("SELECT GET_LOCK('mltrail_migration', 120)")


def _unlock_after_migration(conn: Connection) -> None:
    if conn.dialect.name in ("mysql", "mariadb"):
        conn.exec_driver_sql("SELECT RELEASE_LOCK('mltrail_migration')")
