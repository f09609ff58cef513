"""The experiments/search filter and order_by grammar."""

from __future__ import annotations

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search import (
    Comparison,
    OrderKey,
    experiment_order_with_defaults,
    parse_experiment_filter,
    parse_experiment_order_by,
)

C = Comparison

ACCEPTED = [
    ("name = 'a'", [C("attribute", "name", "=", "a")]),
    ("attribute.name LIKE 'x%'", [C("attribute", "name", "LIKE", "x%")]),
    ('name ILIKE "X%"', [C("attribute", "name", "ILIKE", "X%")]),
    ("name != 'a'", [C("attribute", "name", "!=", "a")]),
    ("experiment_id = '7'", [C("attribute", "experiment_id", "=", "7")]),
    ("experiment_id IN ('1', '02')", [C("attribute", "experiment_id", "IN", ("1", "2"))]),
    ("experiment_id NOT IN ('3')", [C("attribute", "experiment_id", "NOT IN", ("3",))]),
    ("creation_time > 5", [C("attribute", "creation_time", ">", 5)]),
    ("last_update_time <= -1", [C("attribute", "last_update_time", "<=", -1)]),
    ("tags.team = 'x'", [C("tag", "team", "=", "x")]),
    ("tag.`a b` != 'x'", [C("tag", "a b", "!=", "x")]),
    ("tags.team IS NULL", [C("tag", "team", "IS NULL", None)]),
    ("tags.team IS NOT NULL", [C("tag", "team", "IS NOT NULL", None)]),
    (
        "name LIKE 'a%' and tags.x ILIKE 'y'",  # AND itself may be lower case
        [C("attribute", "name", "LIKE", "a%"), C("tag", "x", "ILIKE", "y")],
    ),
]


@pytest.mark.parametrize(("filter_string", "expected"), ACCEPTED)
def test_accepted_filters(filter_string: str, expected: list[Comparison]) -> None:
    assert parse_experiment_filter(filter_string) == tuple(expected)


REJECTED = [
    ("name like 'a'", 5, "must be upper case"),
    ("name Ilike 'a'", 5, "must be upper case"),
    ("tags.a is null", 7, "must be upper case"),
    ("tags.a IS not NULL", 10, "must be upper case"),
    ("experiment_id in ('1')", 14, "must be upper case"),
    ("attributes.name = 'a'", 0, "valid prefixes: attribute, tag, tags"),
    ("metrics.a > 1", 0, "invalid entity prefix 'metrics'"),
    ("experiment_id = 'abc'", 16, "expected an integer id"),
    ("experiment_id IN ('1', 'x')", 23, "expected an integer id"),
    ("experiment_id IN (1)", 18, "quoted strings only"),
    ("experiment_id = 1", 16, "quote string values"),
    ("experiment_id > '1'", 14, "use one of: !=, =, in, not in"),
    ("experiment_id LIKE '1'", 14, "use one of"),
    ("creation_time > 1.5", 16, "expected an integer"),
    ("creation_time > '5'", 16, "remove the quotes"),
    ("name IN ('a')", 5, "in is only supported for experiment_id"),
    ("name > 'a'", 5, "use one of"),
    ("name IS NULL", 5, "is null is only supported for tags.<key>"),
    ("artifact_location = 'x'", 0, "invalid attribute key 'artifact_location'"),
    ("lifecycle_stage = 'active'", 0, "invalid attribute key"),
    ("name = 'a' OR name = 'b'", 11, "or is not supported"),
]


@pytest.mark.parametrize(("filter_string", "position", "explanation"), REJECTED)
def test_rejected_filters(filter_string: str, position: int, explanation: str) -> None:
    with pytest.raises(MlflowException) as caught:
        parse_experiment_filter(filter_string)
    error = caught.value
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert f'"{filter_string}"' in error.message
    assert f"at character {position}." in error.message
    assert error.message.splitlines()[-1] == "  " + " " * position + "^"
    assert explanation.lower() in error.message.lower()


def test_blank_and_empty_filters() -> None:
    assert parse_experiment_filter(None) == ()
    assert parse_experiment_filter("") == ()
    with pytest.raises(MlflowException) as caught:
        parse_experiment_filter("  ")
    assert caught.value.error_code == INVALID_PARAMETER_VALUE


K = OrderKey


def test_order_by() -> None:
    assert parse_experiment_order_by(["name", "experiment_id DESC"]) == (
        K("attribute", "name", True),
        K("attribute", "experiment_id", False),
    )
    assert parse_experiment_order_by(["attribute.creation_time desc", "last_update_time"]) == (
        K("attribute", "creation_time", False),
        K("attribute", "last_update_time", True),
    )
    assert parse_experiment_order_by(None) == ()


@pytest.mark.parametrize(
    ("order_by", "explanation"),
    [
        (["tags.team"], "tag keys are not supported here"),
        (["attributes.name"], "invalid entity prefix"),
        (["artifact_location"], "invalid attribute key"),
        (["name UP"], "expected asc or desc"),
        (["name", "name DESC"], "duplicate"),
    ],
)
def test_rejected_order_by(order_by: list[str], explanation: str) -> None:
    with pytest.raises(MlflowException) as caught:
        parse_experiment_order_by(order_by)
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert explanation.lower() in caught.value.message.lower()


def test_default_order_and_tie_breaker() -> None:
    assert experiment_order_with_defaults(()) == (
        K("attribute", "creation_time", False),
        K("attribute", "experiment_id", True),
    )
    assert experiment_order_with_defaults((K("attribute", "name", True),)) == (
        K("attribute", "name", True),
        K("attribute", "experiment_id", False),
    )
    by_id = (K("attribute", "experiment_id", True),)
    assert experiment_order_with_defaults(by_id) == by_id
