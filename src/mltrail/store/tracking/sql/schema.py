"""The tracking database schema (SQLAlchemy Core tables), designed for fast search and history.

Runs get an integer surrogate key (``run_pk``) that every child table uses: small indexes and
cheap joins. ``latest_metrics`` keeps the latest point of each (run, key) so that search and
ordering by metric never scan history. Metric values that are not finite are stored with
``special`` = 1 (NaN), 2 (+inf) or 3 (-inf) and ``value`` clamped to 0 / +max / -max, so every
backend (MySQL has no NaN or infinity) stores them and ordering stays correct.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

# Special metric values (column ``special``).
FINITE, NAN, POS_INF, NEG_INF = 0, 1, 2, 3
DOUBLE = Float(precision=53).with_variant(Float(precision=53, asdecimal=False), "mysql")

experiments = Table(
    "experiments",
    metadata,
    Column("experiment_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False, unique=True),
    Column("artifact_location", String(2048), nullable=False),
    Column("lifecycle_stage", String(16), nullable=False),
    Column("creation_time", BigInteger, nullable=True),
    Column("last_update_time", BigInteger, nullable=True),
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
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("experiment_id", "key"),
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
)

params = Table(
    "params",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("run_pk", "key"),
    Index(None, "key", "run_pk"),
)

tags = Table(
    "tags",
    metadata,
    Column("run_pk", Integer, ForeignKey("runs.run_pk", ondelete="CASCADE"), nullable=False),
    Column("key", String(250), nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("run_pk", "key"),
    Index(None, "key", "run_pk"),
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
)
