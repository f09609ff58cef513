"""select_runs on SQLite, PostgreSQL and MariaDB, checked against hand-computed results; the
in-memory evaluator must give exactly the same answers on the same data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from search_data import RUN_IDS, RUN_ROWS, run_entity

from mltrail.search import parse_run_filter, parse_run_order_by
from mltrail.search.evaluate import run_matches, sort_runs
from mltrail.store.tracking.sql.search_sql import select_runs

ACTIVE = ["active"]
# Default order: start_time DESC (NULL last), then run_id ASC (cv_3 < train at 3000).
DEFAULT = ["cv_3", "train", "CV-2", "cv-1", "éclair", "x%y"]

FILTER_CASES = [
    ("", DEFAULT),
    ("metrics.acc > 0.1", ["CV-2", "cv-1"]),
    ("metrics.acc != 0.5", ["train", "cv-1", "éclair", "x%y"]),  # NaN satisfies !=
    ("metrics.acc = 0", ["éclair"]),  # NaN is stored as 0 but never equals
    ("metrics.acc < 0", ["train"]),  # -inf
    ("metrics.acc <= -1e308", ["train"]),
    ("metrics.loss > 1e308", ["CV-2"]),  # +inf
    ("metrics.loss >= 1.7976931348623157e308", ["CV-2"]),
    ("metrics.loss < -1e400", []),  # literal overflows to -inf
    ("metrics.loss > -1e400", ["train", "CV-2", "éclair"]),  # -inf is not > -inf
    ("metrics.loss != 1", ["cv_3", "CV-2", "cv-1", "éclair"]),
    ("metrics.missing != 1", []),
    ("params.model = 'rf'", ["cv-1"]),  # not 'RF', 'Rf' or 'rf '
    ("params.model != 'rf'", ["train", "CV-2", "éclair", "x%y"]),  # cv_3 lacks the param
    ("params.model LIKE 'r%'", ["cv-1", "éclair"]),
    ("params.model like 'R_'", ["CV-2", "x%y"]),
    ("params.model ILIKE 'r%'", ["CV-2", "cv-1", "éclair", "x%y"]),
    ("params.model ILIKE 'RF'", ["CV-2", "cv-1", "x%y"]),
    ("params.lr IS NULL", ["cv_3", "CV-2", "éclair", "x%y"]),
    ("params.lr is not null", ["train", "cv-1"]),
    ("tags.team = 'core'", ["CV-2"]),
    ("tags.team ILIKE 'CORE'", ["CV-2", "cv-1"]),
    ("tags.team LIKE 'É%'", ["éclair"]),
    ("tags.note LIKE '50\\%'", ["x%y"]),  # escaped wildcard
    ("tags.note LIKE '5_%'", ["x%y"]),
    ("tags.note LIKE '5*'", []),  # GLOB characters are literal
    ("tags.`mlflow.runName` = 'train'", ["train"]),
    ("tags.mlflow.runName LIKE 'cv%'", ["cv_3", "cv-1"]),
    ("run_name LIKE 'cv%'", ["cv_3", "cv-1"]),
    ("attributes.run_name LIKE 'cv\\_%'", ["cv_3"]),
    ("`Run name` ILIKE 'CV%'", ["cv_3", "CV-2", "cv-1"]),
    ("run_name = 'x%y'", ["x%y"]),
    ("run_name = 'éclair'", ["éclair"]),
    ("status = 'FINISHED'", ["train", "cv-1", "éclair"]),
    ("status = 'finished'", []),
    ("attributes.status != 'FINISHED'", ["cv_3", "CV-2", "x%y"]),
    (f"attributes.run_id IN ('{RUN_IDS['cv-1']}', '{RUN_IDS['train']}')", ["train", "cv-1"]),
    (f"run_id NOT IN ('{RUN_IDS['cv-1']}')", ["cv_3", "train", "CV-2", "éclair", "x%y"]),
    (f"run_id = '{RUN_IDS['cv-1'].upper()}'", []),
    ("created >= 2000", ["cv_3", "train", "CV-2"]),
    ("end_time != 2000", ["cv_3", "train", "éclair"]),  # NULL end_time never matches
    ("start_time < 1500.5", ["cv-1", "éclair"]),
    ("user_id = 'alice' and metrics.acc > -1e9", ["cv-1"]),
    ("artifact_uri LIKE '%/1/%'", DEFAULT),
    (
        "metrics.acc >= 0 AND params.model ILIKE 'rf%' AND tags.team != 'ops'",
        ["CV-2", "cv-1", "éclair"],
    ),
    ("params.model = 'rf' and params.model != 'rf'", []),
]

ORDER_CASES = [
    (["metrics.acc DESC"], ["cv-1", "CV-2", "éclair", "train", "x%y", "cv_3"]),
    (["metrics.acc"], ["train", "éclair", "CV-2", "cv-1", "x%y", "cv_3"]),
    (["metrics.loss ASC"], ["cv_3", "éclair", "train", "CV-2", "cv-1", "x%y"]),
    (["metrics.loss DESC"], ["CV-2", "train", "éclair", "cv_3", "cv-1", "x%y"]),
    (["params.model"], ["CV-2", "x%y", "cv-1", "éclair", "train", "cv_3"]),
    (["params.model DESC"], ["train", "éclair", "cv-1", "x%y", "CV-2", "cv_3"]),
    (["tags.team DESC"], ["éclair", "cv_3", "CV-2", "cv-1", "train", "x%y"]),
    (["tags.team"], ["cv-1", "CV-2", "cv_3", "éclair", "train", "x%y"]),
    (["start_time ASC"], ["éclair", "cv-1", "CV-2", "cv_3", "train", "x%y"]),
    (["created DESC"], DEFAULT),
    (["end_time DESC"], ["train", "cv_3", "cv-1", "éclair", "CV-2", "x%y"]),
    (["end_time"], ["éclair", "cv-1", "cv_3", "train", "CV-2", "x%y"]),
    (["run_name"], ["CV-2", "cv-1", "cv_3", "train", "x%y", "éclair"]),
    (["attributes.status DESC", "metrics.acc"], ["CV-2", "x%y", "train", "éclair", "cv-1", "cv_3"]),
    (["user_id"], ["cv_3", "train", "cv-1", "x%y", "CV-2", "éclair"]),
    (["run_id DESC"], ["train", "CV-2", "x%y", "cv-1", "cv_3", "éclair"]),
    (["metrics.nothing DESC"], DEFAULT),
]


def _sql_names(
    engine: sa.Engine,
    filter_string: str = "",
    order_by: list[str] | None = None,
    *,
    experiment_ids: tuple[int, ...] = (1,),
    stages: list[str] = ACTIVE,
    offset: int = 0,
    limit: int | None = 100,
) -> list[str]:
    query = select_runs(
        experiment_ids,
        parse_run_filter(filter_string),
        parse_run_order_by(order_by),
        stages,
        offset,
        limit,
    )
    with engine.connect() as conn:
        return [row.name for row in conn.execute(query)]


def _evaluated_names(
    filter_string: str = "",
    order_by: list[str] | None = None,
    *,
    experiment_ids: tuple[int, ...] = (1,),
    stages: list[str] = ACTIVE,
) -> list[str]:
    comparisons = parse_run_filter(filter_string)
    runs = [
        run_entity(row)
        for row in RUN_ROWS
        if row.experiment_id in experiment_ids and row.lifecycle_stage in stages
    ]
    matching = [run for run in runs if run_matches(run, comparisons)]
    return [run.info.run_name for run in sort_runs(matching, parse_run_order_by(order_by))]


@pytest.mark.parametrize(("filter_string", "expected"), FILTER_CASES)
def test_filter(search_db: sa.Engine, filter_string: str, expected: list[str]) -> None:
    assert _sql_names(search_db, filter_string) == expected
    assert _evaluated_names(filter_string) == expected


@pytest.mark.parametrize(("order_by", "expected"), ORDER_CASES)
def test_order_by(search_db: sa.Engine, order_by: list[str], expected: list[str]) -> None:
    assert _sql_names(search_db, "", order_by) == expected
    assert _evaluated_names("", order_by) == expected


def test_filter_and_order_together(search_db: sa.Engine) -> None:
    filter_string = "metrics.loss > -1e9 and params.model ILIKE 'r%'"
    expected = ["CV-2", "éclair"]  # CV-2 (+inf) then éclair (0): DESC by loss
    assert _sql_names(search_db, filter_string, ["metrics.loss DESC"]) == expected
    assert _evaluated_names(filter_string, ["metrics.loss DESC"]) == expected
    ordered_by_acc = _sql_names(search_db, "params.model ILIKE 'r%'", ["metrics.acc"])
    assert ordered_by_acc == ["éclair", "CV-2", "cv-1", "x%y"]


def test_pagination_walks_the_full_order(search_db: sa.Engine) -> None:
    pages = [_sql_names(search_db, offset=offset, limit=2) for offset in (0, 2, 4, 6)]
    assert pages == [DEFAULT[0:2], DEFAULT[2:4], DEFAULT[4:6], []]
    assert _sql_names(search_db, offset=5, limit=10) == DEFAULT[5:]
    assert _sql_names(search_db, offset=1, limit=None) == DEFAULT[1:]
    by_metric = _sql_names(search_db, order_by=["metrics.acc DESC"], offset=3, limit=2)
    assert by_metric == ["train", "x%y"]


def test_lifecycle_stages_and_experiments(search_db: sa.Engine) -> None:
    assert _sql_names(search_db, stages=["deleted"]) == ["gone"]
    every = _sql_names(search_db, experiment_ids=(1, 2), stages=["active", "deleted"])
    assert every == ["other-exp", "gone", *DEFAULT]
    assert every == _evaluated_names(experiment_ids=(1, 2), stages=["active", "deleted"])
    assert _sql_names(search_db, "metrics.acc > 0.6", experiment_ids=(2,)) == ["other-exp"]
    assert _sql_names(search_db, experiment_ids=()) == []


def test_selects_run_columns(search_db: sa.Engine) -> None:
    query = select_runs([1], parse_run_filter("run_name = 'cv-1'"), (), ACTIVE, 0, 10)
    with search_db.connect() as conn:
        row = conn.execute(query).one()
    assert row.run_id == RUN_IDS["cv-1"]
    assert isinstance(row.run_pk, int)
    assert (row.status, row.user_id, row.start_time, row.end_time) == (
        "FINISHED",
        "alice",
        1000,
        2000,
    )
