"""Engines, SQLite settings and the schema migrations (fast path, refusal of MLflow databases)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from mltrail.exceptions import INVALID_PARAMETER_VALUE, INVALID_STATE, MlflowException
from mltrail.store.tracking.sql import SqlTrackingStore, schema
from mltrail.store.tracking.sql.engine import get_database, normalize_db_uri
from mltrail.store.tracking.sql.migrate import HEAD_REVISION, MIGRATIONS_DIR, VERSION_TABLE


def test_uri_normalisation_picks_the_drivers():
    assert normalize_db_uri("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_uri("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_uri("mysql://u@h/db") == "mysql+pymysql://u@h/db"
    assert normalize_db_uri("mysql+pymysql://u@h/db") == "mysql+pymysql://u@h/db"
    assert normalize_db_uri("sqlite:///x.db") == "sqlite:///x.db"
    for bad in ("not a uri", "oracle://u@h/db"):
        with pytest.raises(MlflowException) as info:
            SqlTrackingStore(bad, "/tmp/artifacts")
        assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_sqlite_connection_settings(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'nested' / 'deeper' / 'db.sqlite'}"
    SqlTrackingStore(uri, str(tmp_path / "art"))
    assert (tmp_path / "nested" / "deeper" / "db.sqlite").exists()
    with get_database(uri).engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 1  # NORMAL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 20000


def test_relative_sqlite_path_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    store = SqlTrackingStore("sqlite:///relative.db", "mlruns")
    assert (tmp_path / "relative.db").exists()
    assert store.get_experiment("0").artifact_location == str(tmp_path / "mlruns" / "0")


def test_schema_version_table(tracking_db_uri: str, tmp_path: Path):
    SqlTrackingStore(tracking_db_uri, str(tmp_path))
    engine = get_database(tracking_db_uri).engine
    with engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar() == (
            HEAD_REVISION
        )
        assert not sa.inspect(conn).has_table("alembic_version")


def test_head_revision_constant_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD_REVISION]


def test_migrated_schema_matches_schema_py(tracking_db_uri: str, tmp_path: Path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    SqlTrackingStore(tracking_db_uri, str(tmp_path))
    with get_database(tracking_db_uri).engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, schema.metadata)

    assert [d for d in differences if not _is_version_table(d)] == []


def _is_version_table(difference: object) -> bool:
    return (
        isinstance(difference, tuple)
        and difference[0] == "remove_table"
        and difference[1].name == VERSION_TABLE
    )


def test_default_experiment_is_created_once(tracking_db_uri: str, tmp_path: Path):
    first = SqlTrackingStore(tracking_db_uri, str(tmp_path / "first"))
    first.rename_experiment("0", "Renamed")
    second = SqlTrackingStore(tracking_db_uri, str(tmp_path / "second"))
    default = second.get_experiment("0")
    assert default.name == "Renamed"
    assert default.artifact_location == str(tmp_path / "first" / "0")
    assert second.create_experiment("next") == "1"


def _run_python(code: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path):
    code = """
        import sys
        from mltrail.store.tracking.sql import SqlTrackingStore
        SqlTrackingStore("sqlite:///db.sqlite", "art")
        print("alembic" in sys.modules)
    """
    assert _run_python(code, tmp_path) == "True"  # new database: migrated with Alembic
    assert _run_python(code, tmp_path) == "False"  # up to date: one SELECT, no Alembic


def _make_mlflow_like_database(uri: str) -> None:
    engine = sa.create_engine(normalize_db_uri(uri))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('1b5f0d9ad7c1')")
        conn.exec_driver_sql(
            "CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250))"
        )
    engine.dispose()


def test_an_mlflow_database_is_refused(tracking_db_uri: str, tmp_path: Path):
    _make_mlflow_like_database(tracking_db_uri)
    with pytest.raises(MlflowException) as info:
        SqlTrackingStore(tracking_db_uri, str(tmp_path))
    assert info.value.error_code == INVALID_STATE
    message = str(info.value)
    assert "MLflow tracking database" in message and "new database" in message
    engine = sa.create_engine(normalize_db_uri(tracking_db_uri))
    with engine.connect() as conn:  # nothing was created or changed
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert tables == {"alembic_version", "runs"}


def test_foreign_tables_with_our_names_are_refused(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'other.db'}"
    engine = sa.create_engine(uri)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE experiments (id INTEGER)")
    engine.dispose()
    with pytest.raises(MlflowException) as info:
        SqlTrackingStore(uri, str(tmp_path))
    assert info.value.error_code == INVALID_STATE
    assert "experiments" in str(info.value)


def test_a_newer_schema_is_reported(tmp_path: Path):
    uri = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = sa.create_engine(uri)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {VERSION_TABLE} (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql(f"INSERT INTO {VERSION_TABLE} VALUES ('9999')")
    engine.dispose()
    with pytest.raises(MlflowException) as info:
        SqlTrackingStore(uri, str(tmp_path))
    assert info.value.error_code == INVALID_STATE
    assert "newer version of mltrail" in str(info.value)


def test_concurrent_first_opens_migrate_once(tmp_path: Path):
    code = """
        from mltrail.store.tracking.sql import SqlTrackingStore
        store = SqlTrackingStore("sqlite:///shared.db", "art")
        print(store.get_experiment("0").name)
    """
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == ["Default"] * 3
    store = SqlTrackingStore(f"sqlite:///{tmp_path / 'shared.db'}", str(tmp_path))
    assert [e.experiment_id for e in store.search_experiments()] == ["0"]
