"""Shared fixtures: a fresh tracking database on each backend (SQLite, PostgreSQL, MariaDB).

``tracking_db_uri`` is parametrised over the three backends. Server databases are named
``mltrail_t_<random>`` and dropped afterwards, so tests can run in parallel (``pytest -n 2``):
MariaDB gets a new database per test, PostgreSQL one per session whose schema is emptied
before each test (much faster than CREATE DATABASE). A server that is not reachable is
started once per session; if it still cannot be reached the test fails (never skips) and
says which command to run.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER = "127.0.0.1", 5432, "postgres"
MYSQL_HOST, MYSQL_PORT, MYSQL_USER = "127.0.0.1", 3306, "root"
POSTGRES_START = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
MYSQL_START = "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"
SERVER_WAIT_SECONDS = 30.0


def _postgres_admin() -> object:
    import psycopg

    return psycopg.connect(
        host=POSTGRES_HOST,
        port=POSTGRES_PORT,
        user=POSTGRES_USER,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def _mysql_admin() -> object:
    import pymysql

    return pymysql.connect(
        host=MYSQL_HOST, port=MYSQL_PORT, user=MYSQL_USER, password="", connect_timeout=3
    )


def _reachable(connect: Callable[[], object]) -> bool:
    try:
        connect().close()  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def _ensure_server(name: str, connect: Callable[[], object], start_command: str) -> None:
    """Connect, or start the server once and wait for it; fail with the command otherwise."""
    if _reachable(connect):
        return
    subprocess.run(start_command, shell=True, check=False, capture_output=True, timeout=60)
    deadline = time.monotonic() + SERVER_WAIT_SECONDS
    while time.monotonic() < deadline:
        if _reachable(connect):
            return
        time.sleep(0.5)
    pytest.fail(
        f"The {name} server is not reachable and could not be started. Start it with:\n"
        f"    {start_command}\nthen run the tests again.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def postgres_server() -> None:
    _ensure_server("PostgreSQL", _postgres_admin, POSTGRES_START)


@pytest.fixture(scope="session")
def mysql_server() -> None:
    _ensure_server("MariaDB/MySQL", _mysql_admin, MYSQL_START)


def _fresh_database_name() -> str:
    return f"mltrail_t_{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def _postgres_session_database(postgres_server: None) -> Iterator[str]:
    """One PostgreSQL database per test session (per xdist worker), dropped at the end."""
    name = _fresh_database_name()
    admin = _postgres_admin()
    admin.execute(f"CREATE DATABASE {name}")  # type: ignore[attr-defined]
    try:
        yield name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]


@pytest.fixture
def postgres_db_uri(_postgres_session_database: str) -> Iterator[str]:
    """An empty PostgreSQL database: the session's database with its schema emptied (creating
    a database per test costs about 0.3 s; emptying the schema a few milliseconds)."""
    import psycopg

    name = _postgres_session_database
    uri = f"postgresql://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    with psycopg.connect(
        host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, dbname=name, autocommit=True
    ) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    try:
        yield uri
    finally:
        _forget_engine(uri)


@pytest.fixture
def mysql_db_uri(mysql_server: None) -> Iterator[str]:
    """A new, empty MariaDB/MySQL database (dropped afterwards)."""
    name = _fresh_database_name()
    admin = _mysql_admin()
    with admin.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    uri = f"mysql://{MYSQL_USER}@{MYSQL_HOST}:{MYSQL_PORT}/{name}"
    try:
        yield uri
    finally:
        _forget_engine(uri)
        with admin.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()  # type: ignore[attr-defined]


def _forget_engine(uri: str) -> None:
    """Close mltrail's pooled connections to ``uri`` so the database can be dropped."""
    import sys

    if "mltrail.store.tracking.sql.engine" in sys.modules:
        from mltrail.store.tracking.sql.engine import dispose_database

        dispose_database(uri)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ]
)
def tracking_db_uri(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh tracking database URI on each backend: SQLite file, PostgreSQL, MariaDB."""
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path / 'tracking.db'}"
        yield uri
        _forget_engine(uri)
    elif request.param == "postgresql":
        yield request.getfixturevalue("postgres_db_uri")
    else:
        yield request.getfixturevalue("mysql_db_uri")
