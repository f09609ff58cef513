"""Database engines: URI normalisation, one cached engine per URI, per-dialect connection setup.

SQLite connections run in WAL mode with ``synchronous=NORMAL``: every committed transaction
is in the write-ahead log before the commit returns, so a call that returned survives a
killed process (SIGKILL, crash); only an operating-system crash or power loss can lose the
last few transactions. ``foreign_keys=ON`` and a 20 s busy timeout are set on every
connection, and write transactions start with ``BEGIN IMMEDIATE`` so that concurrent writers
(threads or processes) queue on the lock instead of failing with "database is locked".

PostgreSQL URIs use psycopg 3 (``postgresql://`` means ``postgresql+psycopg://``); MySQL and
MariaDB URIs use PyMySQL with utf8mb4 and READ COMMITTED isolation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from mltrail.exceptions import (
    BAD_REQUEST,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    MlflowException,
)

SQLITE_BUSY_TIMEOUT_SECONDS = 20.0
_DRIVER_FOR_SCHEME = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
}
_WRITE_OPTION = "mltrail_write"
RUN_PK_CACHE_SIZE = 100_000


@dataclass(eq=False)
class Database:
    """An engine plus the knowledge of how to open read and write transactions on it."""

    uri: str
    engine: Engine
    write_engine: Engine
    dialect: str  # "sqlite", "postgresql" or "mysql" (MariaDB included)
    schema_ready: bool = False  # set once the schema was checked/migrated in this process
    schema_lock: threading.Lock = field(default_factory=threading.Lock)
    run_pks: dict[str, int] = field(default_factory=dict)  # run_id -> run_pk (immutable pairs)

    def remember_run_pk(self, run_id: str, run_pk: int) -> None:
        """Cache a run's surrogate key (bounded: the cache is simply emptied when full)."""
        if len(self.run_pks) >= RUN_PK_CACHE_SIZE:
            self.run_pks.clear()
        self.run_pks[run_id] = run_pk

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error."""
        with _database_errors(), self.write_engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (a consistent snapshot for several queries)."""
        with _database_errors(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def raw_write(self) -> Iterator[Any]:
        """A driver cursor in a write transaction, for the hot path: no SQLAlchemy statement
        overhead (about 50 us per statement). Committed on success, rolled back on error."""
        with _database_errors():
            raw = self.engine.raw_connection()
            cursor = None
            try:
                cursor = raw.cursor()
                if self.dialect == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                yield cursor
                raw.commit()
            except BaseException as e:
                self._abandon(raw, cursor, e)
                raise
            finally:
                raw.close()

    @contextmanager
    def raw_read(self) -> Iterator[Any]:
        """A driver cursor for one read statement (autocommit read on SQLite)."""
        with _database_errors():
            raw = self.engine.raw_connection()
            cursor = None
            try:
                cursor = raw.cursor()
                yield cursor
            except BaseException as e:
                self._abandon(raw, cursor, e)
                raise
            finally:
                raw.close()  # the pool rolls back whatever is left open

    def _abandon(self, raw: Any, cursor: Any, error: BaseException) -> None:
        """Roll back after ``error``; drop the connection from the pool if it is dead."""
        dialect = self.engine.dialect
        try:
            raw.rollback()
        except Exception:
            pass
        if isinstance(error, dialect.loaded_dbapi.Error) and dialect.is_disconnect(
            error, raw.dbapi_connection, cursor
        ):
            raw.invalidate()


@contextmanager
def _database_errors() -> Iterator[None]:
    """Unexpected database failures as MlflowException (integrity errors: BAD_REQUEST)."""
    try:
        yield
    except MlflowException:
        raise
    except DBAPIError as e:
        raise _as_mlflow_exception(e.orig or e) from e
    except Exception as e:
        if type(e).__module__.split(".")[0] in ("sqlite3", "psycopg", "pymysql"):
            raise _as_mlflow_exception(e) from e
        raise


def _as_mlflow_exception(driver_error: BaseException) -> MlflowException:
    integrity = any(c.__name__ == "IntegrityError" for c in type(driver_error).__mro__)
    return MlflowException(
        f"Database error ({type(driver_error).__name__}): {driver_error}",
        error_code=BAD_REQUEST if integrity else INTERNAL_ERROR,
    )


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def normalize_db_uri(db_uri: str) -> str:
    """The URI with an explicit driver: psycopg 3 for PostgreSQL, PyMySQL for MySQL/MariaDB."""
    if not isinstance(db_uri, str) or "://" not in db_uri:
        raise MlflowException(
            f"Invalid database URI {db_uri!r}. Expected e.g. 'sqlite:///mlflow.db', "
            "'postgresql://user@host/db' or 'mysql://user@host/db'.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    scheme, rest = db_uri.split("://", 1)
    return f"{_DRIVER_FOR_SCHEME.get(scheme.lower(), scheme)}://{rest}"


def get_database(db_uri: str) -> Database:
    """The process-wide Database for ``db_uri`` (created on first use, then cached)."""
    uri = normalize_db_uri(db_uri)
    database = _databases.get(uri)
    if database is not None:
        return database
    with _databases_lock:
        database = _databases.get(uri)
        if database is None:
            database = _create_database(uri)
            _databases[uri] = database
    return database


def dispose_database(db_uri: str) -> None:
    """Close the pooled connections of ``db_uri`` and forget its engine (tests, shutdown)."""
    with _databases_lock:
        database = _databases.pop(normalize_db_uri(db_uri), None)
    if database is not None:
        database.engine.dispose()


def _create_database(uri: str) -> Database:
    url = make_url(uri)
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            engine = _create_sqlite_engine(uri)
            write_engine = engine.execution_options(**{_WRITE_OPTION: True})
            return Database(uri, engine, write_engine, "sqlite")
        if backend == "postgresql":
            engine = create_engine(url, pool_pre_ping=False, pool_recycle=3600)
            return Database(uri, engine, engine, "postgresql")
        if backend in ("mysql", "mariadb"):
            if "charset" not in url.query:
                url = url.update_query_dict({"charset": "utf8mb4"})
            engine = create_engine(url, isolation_level="READ COMMITTED", pool_recycle=3600)
            return Database(uri, engine, engine, "mysql")
    except ImportError as e:
        raise MlflowException(
            f"The database driver for '{url.render_as_string(hide_password=True)}' is not "
            f"installed ({e}). Install it with: pip install 'mltrail[{_extra_for(backend)}]'",
            error_code=INVALID_PARAMETER_VALUE,
        ) from e
    raise MlflowException(
        f"Unsupported database '{url.render_as_string(hide_password=True)}': mltrail supports "
        "SQLite (sqlite:///path.db), PostgreSQL (postgresql://...) and MySQL/MariaDB "
        "(mysql://...).",
        error_code=INVALID_PARAMETER_VALUE,
    )


def _extra_for(backend: str) -> str:
    return "postgres" if backend == "postgresql" else "mysql"


def _create_sqlite_engine(uri: str) -> Engine:
    url = make_url(uri)
    database = url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in database
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False}
    }
    if in_memory:
        kwargs["poolclass"] = StaticPool
    else:
        directory = os.path.dirname(os.path.abspath(database))
        os.makedirs(directory, exist_ok=True)
        kwargs["pool_size"] = 8
        kwargs["max_overflow"] = 16
    engine = create_engine(url, **kwargs)
    busy_ms = int(SQLITE_BUSY_TIMEOUT_SECONDS * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module: we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA cache_size = -32000")
            cursor.execute("PRAGMA temp_store = MEMORY")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine
