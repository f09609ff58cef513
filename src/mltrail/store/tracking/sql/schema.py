"""The tracking database schema (SQLAlchemy Core tables), designed for fast search and history.

Runs get an integer surrogate key (``run_pk``) that every child table uses: small indexes and
cheap joins. ``latest_metrics`` keeps the latest point of each (run, key) so that search and
ordering by metric never scan history. Metric values that are not finite are stored with
``special`` = 1 (NaN), 2 (+inf) or 3 (-inf) and ``value`` clamped to 0 / +max / -max, so every
backend (MySQL has no NaN or infinity) stores them and ordering stays correct.

On MySQL/MariaDB every table is utf8mb4 with a binary collation, so names and keys compare
exactly ('Exp' and 'exp' are different experiments), and long values are MEDIUMTEXT (an
experiment tag value may hold 20,000 four-byte characters, more than TEXT's 65,535 bytes).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Special metric values (column ``special``).
FINITE, NAN, POS_INF, NEG_INF = 0, 1, 2, 3
DOUBLE = Float(precision=53).with_variant(mysql.DOUBLE(asdecimal=False), "mysql", "mariadb")
VALUE_TEXT = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")
# Table options for MySQL/MariaDB (the migration may pick a NO PAD binary collation instead).
MYSQL_TABLE_OPTIONS: dict[str, Any] = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"}

experiments = Table(
    "experiments",
    metadata,
    Column("experiment_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False, unique=True),
    Column("artifact_location", String(2048), nullable=False),
    Column("lifecycle_stage", String(16), nullable=False),
    Column("creation_time", BigInteger, nullable=True),
    Column("last_update_time", BigInteger, nullable=True),
    **MYSQL_TABLE_OPTIONS,
)

experiment_tags = Table(
    "experiment_tags",
    metadata,
    Column(
        "experiment_id",
        Integer,
        ForeignKey("experiments.experiment_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("key", String(250), nullable=False),
    Column("value", VALUE_TEXT, nullable=False),
    PrimaryKeyConstraint("experiment_id", "key"),
    **MYSQL_TABLE_OPTIONS,
)

runs = Table(
    "runs",
    metadata,
    Column("run_pk", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), nullable=False, unique=True),
    Column(
        "experiment_id",
        Integer,
        ForeignKey("experiments.experiment_id"),
        nullable=False,
    ),
    Column("name", String(250), nullable=False),
    Column("user_id", String(256), nullable=False),
    Column("status", String(16), nullable=False),
    Column("start_time", BigInteger, nullable=True),
    Column("end_time", BigInteger, nullable=True),
    Column("artifact_uri", String(2048), nullable=False),
    Column("lifecycle_stage", String(16), nullable=False),
    Column("deleted_time", BigInteger, nullable=True),
    Index(None, "experiment_id", "lifecycle_stage", "start_time"),
    **MYSQL_TABLE_OPTIONS,
)

params = Table(
    "params",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("value", VALUE_TEXT, nullable=False),
    PrimaryKeyConstraint("run_pk", "key"),
    Index(None, "key", "run_pk"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

tags = Table(
    "tags",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("value", VALUE_TEXT, nullable=False),
    PrimaryKeyConstraint("run_pk", "key"),
    Index(None, "key", "run_pk"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# Every logged point. The primary key deduplicates exact repeats and serves history reads
# (run, key) ordered by timestamp, step, value.
metrics = Table(
    "metrics",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Column("step", BigInteger, nullable=False),
    Column("value", DOUBLE, nullable=False),
    Column("special", SmallInteger, nullable=False),
    PrimaryKeyConstraint("run_pk", "key", "timestamp", "step", "value", "special"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# The point with the greatest (step, timestamp, value) per (run, key).
latest_metrics = Table(
    "latest_metrics",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Column("step", BigInteger, nullable=False),
    Column("value", DOUBLE, nullable=False),
    Column("special", SmallInteger, nullable=False),
    PrimaryKeyConstraint("run_pk", "key"),
    Index(None, "key", "value"),
    sqlite_with_rowid=False,
    **MYSQL_TABLE_OPTIONS,
)

# ---- logged models and run inputs/outputs (migration 0002) -----------------------------------
LONG_TEXT = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

# A model logged by ``log_model`` (MLflow 3 "LoggedModel"); ``status`` is the enum number.
logged_models = Table(
    "logged_models",
    metadata,
    Column("model_id", String(64), primary_key=True),
    Column(
        "experiment_id", Integer, ForeignKey("experiments.experiment_id"), nullable=False
    ),
    Column("name", String(500), nullable=False),
    Column("artifact_location", String(2048), nullable=False),
    Column("creation_timestamp_ms", BigInteger, nullable=False),
    Column("last_updated_timestamp_ms", BigInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("lifecycle_stage", String(16), nullable=False),
    Column("model_type", String(500), nullable=True),
    Column("source_run_id", String(32), nullable=True),
    Column("status_message", VALUE_TEXT, nullable=True),
    Index(None, "experiment_id", "name"),
    **MYSQL_TABLE_OPTIONS,
)


def _logged_model_key_value_table(name: str) -> Table:
    return Table(
        name,
        metadata,
        Column(
            "model_id",
            String(64),
            ForeignKey("logged_models.model_id", ondelete="CASCADE"),
            nullable=False,
        ),
        Column("key", String(250), nullable=False),
        Column("value", VALUE_TEXT, nullable=False),
        PrimaryKeyConstraint("model_id", "key"),
        **MYSQL_TABLE_OPTIONS,
    )


logged_model_tags = _logged_model_key_value_table("logged_model_tags")
logged_model_params = _logged_model_key_value_table("logged_model_params")

# Metric points attached to a logged model (logged on a run with a ``model_id``).
logged_model_metrics = Table(
    "logged_model_metrics",
    metadata,
    Column("metric_pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "model_id",
        String(64),
        ForeignKey("logged_models.model_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("key", String(250), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    Column("step", BigInteger, nullable=False),
    Column("value", DOUBLE, nullable=False),
    Column("special", SmallInteger, nullable=False),
    Column("run_id", String(32), nullable=True),
    Column("dataset_name", String(500), nullable=True),
    Column("dataset_digest", String(36), nullable=True),
    Index(None, "model_id", "key"),
    **MYSQL_TABLE_OPTIONS,
)

# ``runs/outputs``: the run produced logged model ``model_id`` at ``step``.
run_model_outputs = Table(
    "run_model_outputs",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("model_id", String(64), nullable=False),
    Column("step", BigInteger, nullable=False),
    PrimaryKeyConstraint("run_pk", "model_id"),
    **MYSQL_TABLE_OPTIONS,
)

# ``runs/log-inputs`` models: the run consumed logged model ``model_id``.
run_model_inputs = Table(
    "run_model_inputs",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("model_id", String(64), nullable=False),
    PrimaryKeyConstraint("run_pk", "model_id"),
    **MYSQL_TABLE_OPTIONS,
)

# Datasets logged as run inputs, deduplicated per (experiment, name, digest).
datasets = Table(
    "datasets",
    metadata,
    Column("dataset_pk", Integer, primary_key=True, autoincrement=True),
    Column(
        "experiment_id", Integer, ForeignKey("experiments.experiment_id"), nullable=False
    ),
    Column("name", String(500), nullable=False),
    Column("digest", String(36), nullable=False),
    Column("source_type", String(36), nullable=False),
    Column("source", VALUE_TEXT, nullable=False),
    Column("schema", LONG_TEXT, nullable=True),
    Column("profile", LONG_TEXT, nullable=True),
    UniqueConstraint("experiment_id", "name", "digest"),
    **MYSQL_TABLE_OPTIONS,
)

# A dataset used by a run; ``tags`` is the JSON object of its input tags, ``context`` a copy
# of the ``mlflow.data.context`` tag for search (column added by migration 0003).
run_dataset_inputs = Table(
    "run_dataset_inputs",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column(
        "dataset_pk",
        Integer,
        ForeignKey("datasets.dataset_pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tags", VALUE_TEXT, nullable=False),
    Column("context", String(500), nullable=True),
    PrimaryKeyConstraint("run_pk", "dataset_pk"),
    **MYSQL_TABLE_OPTIONS,
)

# ---- model registry (migration 0004) ---------------------------------------------------------
# Registered models get an integer surrogate key (``model_pk``) used by every child table, so a
# rename is one UPDATE. ``last_version`` is the highest version number ever created for the
# model: versions are numbered from it and never reused while the model exists.
registered_models = Table(
    "registered_models",
    metadata,
    Column("model_pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(256), nullable=False, unique=True),
    Column("creation_timestamp", BigInteger, nullable=False),
    Column("last_updated_timestamp", BigInteger, nullable=False),
    Column("description", VALUE_TEXT, nullable=True),
    Column("last_version", Integer, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

registered_model_tags = Table(
    "registered_model_tags",
    metadata,
    Column(
        "model_pk",
        Integer,
        ForeignKey("registered_models.model_pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("key", String(250), nullable=False),
    Column("value", VALUE_TEXT, nullable=False),
    PrimaryKeyConstraint("model_pk", "key"),
    **MYSQL_TABLE_OPTIONS,
)

# One row per version; a deleted version keeps its row (``deleted_time`` set, fields redacted)
# so its number is not handed out again. ``status`` is the enum number; ``storage_location``
# is the download URI resolved at creation.
model_versions = Table(
    "model_versions",
    metadata,
    Column(
        "model_pk",
        Integer,
        ForeignKey("registered_models.model_pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("version", Integer, nullable=False),
    Column("creation_timestamp", BigInteger, nullable=False),
    Column("last_updated_timestamp", BigInteger, nullable=False),
    Column("current_stage", String(20), nullable=False),
    Column("description", VALUE_TEXT, nullable=True),
    Column("source", VALUE_TEXT, nullable=False),
    Column("storage_location", VALUE_TEXT, nullable=False),
    Column("run_id", String(32), nullable=True),
    Column("run_link", VALUE_TEXT, nullable=True),
    Column("status", SmallInteger, nullable=False),
    Column("status_message", VALUE_TEXT, nullable=True),
    Column("user_id", String(256), nullable=True),
    Column("model_id", String(64), nullable=True),
    Column("deleted_time", BigInteger, nullable=True),
    PrimaryKeyConstraint("model_pk", "version"),
    Index(None, "run_id"),
    **MYSQL_TABLE_OPTIONS,
)

model_version_tags = Table(
    "model_version_tags",
    metadata,
    Column("model_pk", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("key", String(250), nullable=False),
    Column("value", VALUE_TEXT, nullable=False),
    PrimaryKeyConstraint("model_pk", "version", "key"),
    ForeignKeyConstraint(
        ["model_pk", "version"],
        ["model_versions.model_pk", "model_versions.version"],
        name="fk_model_version_tags_model_pk_version",
        ondelete="CASCADE",
    ),
    **MYSQL_TABLE_OPTIONS,
)

registered_model_aliases = Table(
    "registered_model_aliases",
    metadata,
    Column(
        "model_pk",
        Integer,
        ForeignKey("registered_models.model_pk", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("alias", String(256), nullable=False),
    Column("version", Integer, nullable=False),
    PrimaryKeyConstraint("model_pk", "alias"),
    **MYSQL_TABLE_OPTIONS,
)
