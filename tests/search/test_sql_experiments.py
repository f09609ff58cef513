"""select_experiments on every backend, and the evaluator on the same data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from search_data import EXPERIMENT_ROWS, experiment_entity

from mltrail.search import parse_experiment_filter, parse_experiment_order_by
from mltrail.search.evaluate import experiment_matches, sort_experiments
from mltrail.store.tracking.sql.search_sql import select_experiments

# Default order: creation_time DESC (NULL last), experiment_id ASC.
DEFAULT = [2, 3, 1, 4]

CASES = [
    ("", [], DEFAULT),
    ("name = 'exp-b'", [], [2]),
    ("name = 'EXP-B'", [], []),
    ("name != 'exp-b'", [], [3, 1, 4]),
    ("name LIKE 'exp%'", [], [2, 4]),
    ("name ILIKE 'exp%'", [], [2, 3, 4]),
    ("attribute.name LIKE 'exp\\_%'", [], [4]),
    ("experiment_id IN ('1', '3')", [], [3, 1]),
    ("experiment_id NOT IN ('1', '3')", [], [2, 4]),
    ("experiment_id = '03'", [], [3]),
    ("experiment_id != '1'", [], [2, 3, 4]),
    ("creation_time >= 200", [], [2, 3]),
    ("creation_time != 100", [], [2, 3]),  # NULL creation_time never matches
    ("last_update_time < 400", [], [1]),
    ("tags.team = 'core'", [], [2]),
    ("tags.team ILIKE 'CORE'", [], [2, 3]),
    ("tags.team IS NULL", [], [1, 4]),
    ("tags.note IS NOT NULL AND tags.team LIKE 'C%'", [], [3]),
    ("tags.team != 'core'", [], [3]),
    ("", ["name"], [1, 3, 2, 4]),  # code point order: 'Default' < 'Exp-A' < 'exp-b' < 'exp_c'
    ("", ["name DESC"], [4, 2, 3, 1]),
    ("", ["creation_time ASC"], [1, 3, 2, 4]),
    ("", ["last_update_time DESC"], [2, 1, 4, 3]),  # NULLs last, then experiment_id DESC
    ("", ["experiment_id DESC"], [4, 3, 2, 1]),
    ("name ILIKE '%e%'", ["attribute.experiment_id"], [1, 2, 3, 4]),
]


def _sql_ids(
    engine: sa.Engine,
    filter_string: str,
    order_by: list[str],
    stages: tuple[str, ...] = ("active",),
    offset: int = 0,
    limit: int | None = 100,
) -> list[int]:
    query = select_experiments(
        parse_experiment_filter(filter_string),
        parse_experiment_order_by(order_by),
        stages,
        offset,
        limit,
    )
    with engine.connect() as conn:
        return [row.experiment_id for row in conn.execute(query)]


def _evaluated_ids(
    filter_string: str, order_by: list[str], stages: tuple[str, ...] = ("active",)
) -> list[int]:
    comparisons = parse_experiment_filter(filter_string)
    experiments = [
        experiment_entity(exp)
        for exp in EXPERIMENT_ROWS
        if exp.get("lifecycle_stage", "active") in stages
    ]
    matching = [e for e in experiments if experiment_matches(e, comparisons)]
    ordered = sort_experiments(matching, parse_experiment_order_by(order_by))
    return [int(e.experiment_id) for e in ordered]


@pytest.mark.parametrize(("filter_string", "order_by", "expected"), CASES)
def test_search_experiments(
    search_db: sa.Engine, filter_string: str, order_by: list[str], expected: list[int]
) -> None:
    assert _sql_ids(search_db, filter_string, order_by) == expected
    assert _evaluated_ids(filter_string, order_by) == expected


def test_lifecycle_and_pagination(search_db: sa.Engine) -> None:
    assert _sql_ids(search_db, "", [], stages=("deleted",)) == [5]
    assert _sql_ids(search_db, "", [], stages=("active", "deleted")) == [2, 3, 1, 5, 4]
    assert _evaluated_ids("", [], stages=("active", "deleted")) == [2, 3, 1, 5, 4]
    assert _sql_ids(search_db, "", [], offset=1, limit=2) == [3, 1]
    assert _sql_ids(search_db, "", [], offset=3, limit=2) == [4]
    assert _sql_ids(search_db, "", [], offset=4, limit=2) == []
