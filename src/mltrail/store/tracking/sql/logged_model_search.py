"""Search logged models: a small filter language, ordering and offset paging.

Filters are comparisons joined by ``AND``: ``name = 'model'``, ``status != 'LOGGED_MODEL_PENDING'``,
``tags.team = 'a'``, ``params.alpha = '0.5'``, ``metrics.acc > 0.9``,
``creation_timestamp >= 1700000000000``, with ``=, !=, <, <=, >, >=, LIKE, ILIKE``. Models are
loaded per experiment (with an equality on ``name`` applied in SQL) and the rest is evaluated
in Python: experiments hold few logged models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from mltrail.entities import LifecycleStage, LoggedModel, PagedList
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.logged_models import load_models
from mltrail.utils.validation import parse_experiment_id

DEFAULT_MAX_RESULTS = 50
MAX_RESULTS_LIMIT = 50000
_ATTRIBUTES = {
    "name": "name",
    "model_id": "model_id",
    "model_type": "model_type",
    "status": "status",
    "source_run_id": "source_run_id",
    "creation_timestamp": "creation_timestamp",
    "creation_time": "creation_timestamp",
    "creation_timestamp_ms": "creation_timestamp",
    "last_updated_timestamp": "last_updated_timestamp",
    "last_updated_timestamp_ms": "last_updated_timestamp",
}
_CLAUSE = re.compile(
    r"""\s*(?P<field>(?:attributes\.|tags\.|params\.|metrics\.)?(?:`[^`]+`|"[^"]+"|[\w.\-/: ]+?))
        \s*(?P<op>!=|<=|>=|=|<|>|\bNOT\s+LIKE\b|\bI?LIKE\b)\s*
        (?P<value>'(?:[^']|'')*'|"(?:[^"]|"")*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_AND = re.compile(r"\s+AND\s+", re.IGNORECASE)


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


@dataclass(frozen=True, slots=True)
class Comparison:
    kind: str  # "attribute", "tag", "param" or "metric"
    key: str
    op: str
    value: Any


def parse_filter(filter_string: str | None) -> list[Comparison]:
    if not filter_string or not filter_string.strip():
        return []
    return [_parse_clause(part) for part in _split_and(filter_string)]


def _split_and(text: str) -> list[str]:
    """Split on AND outside quotes."""
    parts, current, quote = [], [], ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
            current.append(char)
        else:
            match = _AND.match(text, index)
            if match:
                parts.append("".join(current))
                current = []
                index = match.end()
                continue
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _parse_clause(clause: str) -> Comparison:
    match = _CLAUSE.match(clause)
    if match is None:
        raise _invalid(
            f"Invalid logged model filter clause {clause.strip()!r}. Expected "
            "'<field> <operator> <value>', e.g. name = 'model' or metrics.acc > 0.9."
        )
    field = match["field"].strip()
    op = " ".join(match["op"].upper().split())
    raw = match["value"]
    value: Any = raw[1:-1].replace(raw[0] * 2, raw[0]) if raw[0] in "'\"" else float(raw)
    prefix, _, rest = field.partition(".")
    kinds = {"tags": "tag", "params": "param", "metrics": "metric", "attributes": "attribute"}
    if rest and prefix.lower() in kinds:
        kind, key = kinds[prefix.lower()], rest.strip('`"')
    else:
        kind, key = "attribute", field.strip('`"')
    if kind == "attribute":
        if key not in _ATTRIBUTES:
            raise _invalid(
                f"Invalid logged model filter field '{key}'. Valid attributes: "
                f"{', '.join(sorted(_ATTRIBUTES))}; or tags.<key>, params.<key>, metrics.<key>."
            )
        key = _ATTRIBUTES[key]
    numeric = kind == "metric" or key in ("creation_timestamp", "last_updated_timestamp")
    if numeric and isinstance(value, str):
        raise _invalid(f"Filter on '{field}' needs a number, got {raw}.")
    if not numeric and not isinstance(value, str):
        raise _invalid(f"Filter on '{field}' needs a quoted string, got {raw}.")
    if "LIKE" in op and numeric:
        raise _invalid(f"{op} works on strings only, not on '{field}'.")
    return Comparison(kind, key, op, value)


def _like(pattern: str, case_sensitive: bool) -> Callable[[str], bool]:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    compiled = re.compile(f"^{regex}$", re.DOTALL | (0 if case_sensitive else re.IGNORECASE))
    return lambda text: compiled.match(text) is not None


def _field_value(model: LoggedModel, comparison: Comparison) -> Any:
    if comparison.kind == "tag":
        return model.tags.get(comparison.key)
    if comparison.kind == "param":
        return model.params.get(comparison.key)
    if comparison.kind == "metric":
        return _latest_metric(model, comparison.key)
    value = getattr(model, comparison.key)
    return value if value is not None else ""


def _latest_metric(
    model: LoggedModel, key: str, dataset_name: str | None = None, digest: str | None = None
) -> float | None:
    points = [
        m
        for m in model.metrics
        if m.key == key
        and (dataset_name is None or m.dataset_name == dataset_name)
        and (digest is None or m.dataset_digest == digest)
    ]
    if not points:
        return None
    return max(points, key=lambda m: (m.step, m.timestamp)).value


def _matches(model: LoggedModel, comparison: Comparison) -> bool:
    actual = _field_value(model, comparison)
    if actual is None:
        return False
    op, expected = comparison.op, comparison.value
    if op == "LIKE":
        return _like(expected, True)(actual)
    if op == "ILIKE":
        return _like(expected, False)(actual)
    if op == "NOT LIKE":
        return not _like(expected, True)(actual)
    if isinstance(actual, float) and actual != actual:  # NaN matches only !=
        return op == "!="
    return {
        "=": actual == expected, "!=": actual != expected, "<": actual < expected,
        "<=": actual <= expected, ">": actual > expected, ">=": actual >= expected,
    }[op]  # fmt: skip


def _sort(models: list[LoggedModel], order_by: Sequence[Mapping[str, Any]]) -> list[LoggedModel]:
    ordered = sorted(models, key=lambda m: m.model_id)
    ordered.sort(key=lambda m: m.creation_timestamp, reverse=True)
    for item in reversed(order_by):
        field = item["field_name"]
        ascending = item.get("ascending", True)
        if field.startswith("metrics."):
            key = field[len("metrics.") :]

            def metric_of(m: LoggedModel, k: str = key, it: Mapping[str, Any] = item) -> Any:
                return _latest_metric(m, k, it.get("dataset_name"), it.get("dataset_digest"))

            present = [m for m in ordered if metric_of(m) is not None]
            missing = [m for m in ordered if metric_of(m) is None]
            present.sort(key=metric_of, reverse=not ascending)  # type: ignore[arg-type]
            ordered = present + missing
        elif field in _ATTRIBUTES:
            attribute = _ATTRIBUTES[field]

            def attribute_of(m: LoggedModel, a: str = attribute) -> Any:
                return getattr(m, a) or ""

            ordered.sort(key=attribute_of, reverse=not ascending)
        else:
            raise _invalid(
                f"Invalid order_by field '{field}' for logged models. Use one of "
                f"{', '.join(sorted(_ATTRIBUTES))} or metrics.<key>."
            )
    return ordered


def search_logged_models(
    db: Database,
    experiment_ids: Sequence[str],
    filter_string: str | None = None,
    datasets: Sequence[Mapping[str, Any]] = (),
    max_results: int | None = None,
    order_by: Sequence[Mapping[str, Any]] = (),
    page_token: str | None = None,
) -> PagedList[LoggedModel]:
    limit = DEFAULT_MAX_RESULTS if max_results is None else max_results
    if not 1 <= limit <= MAX_RESULTS_LIMIT:
        raise _invalid(
            f"Invalid value {limit} for parameter 'max_results': it must be between 1 and "
            f"{MAX_RESULTS_LIMIT}."
        )
    offset = decode_page_token(page_token)
    comparisons = parse_filter(filter_string)
    eids = [parse_experiment_id(e) for e in experiment_ids]
    table = schema.logged_models
    query = select(table).where(
        table.c.experiment_id.in_(eids), table.c.lifecycle_stage == LifecycleStage.ACTIVE
    )
    for comparison in comparisons:
        if comparison.kind == "attribute" and comparison.key == "name" and comparison.op == "=":
            query = query.where(table.c.name == comparison.value)
    with db.read() as conn:
        models = load_models(conn, conn.execute(query).all())
    models = [m for m in models if all(_matches(m, c) for c in comparisons)]
    if datasets:
        models = [m for m in models if _uses_dataset(m, datasets)]
    models = _sort(models, order_by)
    page = models[offset : offset + limit]
    token = encode_page_token(offset + limit) if len(models) > offset + limit else None
    return PagedList(page, token)


def _uses_dataset(model: LoggedModel, datasets: Sequence[Mapping[str, Any]]) -> bool:
    return any(
        m.dataset_name == d["dataset_name"]
        and (not d.get("dataset_digest") or m.dataset_digest == d["dataset_digest"])
        for m in model.metrics
        for d in datasets
    )
