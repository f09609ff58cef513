"""registered-models/search and model-versions/search compiled to SQL, one page per query.

String comparisons reuse the tracking search compiler, so they are case-sensitive (``LIKE``
too) and ``ILIKE`` case-insensitive on every backend. The prompt tag counts as ``'false'`` when
a model or version does not have it, and prompts are left out unless the filter selects them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from mltrail.entities import ModelVersion, PagedList, RegisteredModel
from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.search.registry import (
    PROMPT_TAG,
    PROMPT_TAG_MISSING_VALUE,
    is_prompt_clause,
    model_version_order_with_defaults,
    parse_model_version_filter,
    parse_model_version_order_by,
    parse_registered_model_filter,
    parse_registered_model_order_by,
    registered_model_order_with_defaults,
    selects_prompts,
)
from mltrail.store.model_registry.abstract import (
    SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT,
    SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD,
    SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT,
    SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD,
)
from mltrail.store.model_registry.sql.loading import VERSION_COLUMNS, build_models, build_versions
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.search_sql import _COMPARE, _ordered, _Sortable, _string_condition
from mltrail.utils.validation import validate_max_results

_models = schema.registered_models
_model_tags = schema.registered_model_tags
_versions = schema.model_versions
_version_tags = schema.model_version_tags


def _page(rows: Sequence[Any], offset: int, limit: int) -> tuple[Sequence[Any], str | None]:
    if len(rows) > limit:
        return rows[:limit], encode_page_token(offset + limit)
    return rows, None


def _limit(max_results: int | None, default: int, threshold: int) -> int:
    return validate_max_results(default if max_results is None else max_results, threshold)


# ---- registered models ----------------------------------------------------------------------
def search_registered_models(
    db: Database,
    filter_string: str | None,
    max_results: int | None,
    order_by: Sequence[str] | None,
    page_token: str | None,
) -> PagedList[RegisteredModel]:
    limit = _limit(
        max_results,
        SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT,
        SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD,
    )
    comparisons = parse_registered_model_filter(filter_string)
    order_keys = parse_registered_model_order_by(order_by)
    offset = decode_page_token(page_token)
    query = _select_models(comparisons, order_keys).offset(offset).limit(limit + 1)
    with db.read() as conn:
        rows, token = _page(conn.execute(query).all(), offset, limit)
        return PagedList(build_models(conn, rows), token)


def _model_prompt_value() -> ColumnElement[Any]:
    tag = (
        sa.select(_model_tags.c.value)
        .where(_model_tags.c.model_pk == _models.c.model_pk, _model_tags.c.key == PROMPT_TAG)
        .scalar_subquery()
    )
    return sa.func.coalesce(tag, PROMPT_TAG_MISSING_VALUE)


def _select_models(
    comparisons: Sequence[Comparison], order_keys: Sequence[OrderKey]
) -> sa.Select[Any]:
    source: sa.FromClause = _models
    conditions: list[ColumnElement[bool]] = []
    for index, comparison in enumerate(comparisons):
        if comparison.entity == "attribute":
            conditions.append(_string_condition(_models.c.name, comparison.op, comparison.value))
        elif is_prompt_clause(comparison):
            conditions.append(
                _string_condition(_model_prompt_value(), comparison.op, comparison.value)
            )
        else:
            row = _model_tags.alias(f"f{index}")
            source = source.join(
                row, sa.and_(row.c.model_pk == _models.c.model_pk, row.c.key == comparison.key)
            )
            conditions.append(_string_condition(row.c.value, comparison.op, comparison.value))
    if not selects_prompts(comparisons):
        conditions.append(_string_condition(_model_prompt_value(), "!=", "true"))
    ordering: list[ColumnElement[Any]] = []
    for key in registered_model_order_with_defaults(order_keys):
        column = _models.c[key.key]
        value = _Sortable(column) if key.key == "name" else column
        ordering.extend(_ordered(value, key.ascending))
    return sa.select(*_models.c).select_from(source).where(*conditions).order_by(*ordering)


# ---- model versions -------------------------------------------------------------------------
def search_model_versions(
    db: Database,
    filter_string: str | None,
    max_results: int | None,
    order_by: Sequence[str] | None,
    page_token: str | None,
) -> PagedList[ModelVersion]:
    limit = _limit(
        max_results,
        SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT,
        SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD,
    )
    comparisons = parse_model_version_filter(filter_string)
    order_keys = parse_model_version_order_by(order_by)
    offset = decode_page_token(page_token)
    query = _select_versions(comparisons, order_keys).offset(offset).limit(limit + 1)
    with db.read() as conn:
        rows, token = _page(conn.execute(query).all(), offset, limit)
        return PagedList(build_versions(conn, rows, with_aliases=False), token)


_VERSION_ATTRIBUTES: dict[str, ColumnElement[Any]] = {
    "name": _models.c.name,
    "run_id": sa.func.coalesce(_versions.c.run_id, ""),
    "source_path": _versions.c.source,
}
_VERSION_ORDER_COLUMNS: dict[str, ColumnElement[Any]] = {
    "version_number": _versions.c.version,
    "creation_timestamp": _versions.c.creation_timestamp,
    "last_updated_timestamp": _versions.c.last_updated_timestamp,
}


def _version_prompt_value() -> ColumnElement[Any]:
    tag = (
        sa.select(_version_tags.c.value)
        .where(
            _version_tags.c.model_pk == _versions.c.model_pk,
            _version_tags.c.version == _versions.c.version,
            _version_tags.c.key == PROMPT_TAG,
        )
        .scalar_subquery()
    )
    return sa.func.coalesce(tag, PROMPT_TAG_MISSING_VALUE)


def _select_versions(
    comparisons: Sequence[Comparison], order_keys: Sequence[OrderKey]
) -> sa.Select[Any]:
    source: sa.FromClause = _versions.join(_models, _models.c.model_pk == _versions.c.model_pk)
    conditions: list[ColumnElement[bool]] = [_versions.c.deleted_time.is_(None)]
    for index, comparison in enumerate(comparisons):
        key, op, value = comparison.key, comparison.op, comparison.value
        if comparison.entity == "attribute":
            if key == "version_number":
                conditions.append(_COMPARE[op](_versions.c.version, value))
            else:
                conditions.append(_string_condition(_VERSION_ATTRIBUTES[key], op, value))
        elif is_prompt_clause(comparison):
            conditions.append(_string_condition(_version_prompt_value(), op, value))
        else:
            row = _version_tags.alias(f"f{index}")
            source = source.join(
                row,
                sa.and_(
                    row.c.model_pk == _versions.c.model_pk,
                    row.c.version == _versions.c.version,
                    row.c.key == key,
                ),
            )
            conditions.append(_string_condition(row.c.value, op, value))
    if not selects_prompts(comparisons):
        conditions.append(_string_condition(_version_prompt_value(), "!=", "true"))
    ordering: list[ColumnElement[Any]] = []
    for key in model_version_order_with_defaults(order_keys):
        if key.key == "name":
            ordering.extend(_ordered(_Sortable(_models.c.name), key.ascending))
        else:
            ordering.extend(_ordered(_VERSION_ORDER_COLUMNS[key.key], key.ascending))
    return sa.select(*VERSION_COLUMNS).select_from(source).where(*conditions).order_by(*ordering)
