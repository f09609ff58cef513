"""Page tokens, LIKE pattern translation and the run default order."""

from __future__ import annotations

import base64
import re

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search import OrderKey, decode_page_token, encode_page_token, run_order_with_defaults
from mltrail.search.like import like_to_glob, like_to_regex, normalized_like


@pytest.mark.parametrize("offset", [0, 1, 2, 999, 10**12])
def test_page_token_round_trip(offset: int) -> None:
    token = encode_page_token(offset)
    assert re.fullmatch(r"[A-Za-z0-9+/=]+", token)
    assert decode_page_token(token) == offset


def test_page_token_is_mlflow_compatible() -> None:
    assert encode_page_token(2) == "eyJvZmZzZXQiOiAyfQ=="
    assert decode_page_token("eyJvZmZzZXQiOiAyfQ==") == 2
    assert decode_page_token("eyJvZmZzZXQiOiAyfQ") == 2  # padding dropped
    urlsafe = base64.urlsafe_b64encode(b'{"offset": 1234567}').decode()
    assert decode_page_token(urlsafe) == 1234567


@pytest.mark.parametrize("empty", [None, ""])
def test_missing_page_token_starts_at_zero(empty: str | None) -> None:
    assert decode_page_token(empty) == 0


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage!",
        "abc",
        base64.b64encode(b"not json").decode(),
        base64.b64encode(b'{"offset": -1}').decode(),
        base64.b64encode(b'{"offset": "3"}').decode(),
        base64.b64encode(b'{"offset": true}').decode(),
        base64.b64encode(b'{"offset": 1.5}').decode(),
        base64.b64encode(b'{"start": 3}').decode(),
        base64.b64encode(b"[3]").decode(),
        base64.b64encode(b"\xff\xfe").decode(),
    ],
)
def test_garbage_page_token_is_rejected(garbage: str) -> None:
    with pytest.raises(MlflowException) as caught:
        decode_page_token(garbage)
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert caught.value.message.startswith("Invalid page token")


LIKE_CASES = [
    # pattern, matching values, non-matching values
    ("cv-%", ["cv-", "cv-1", "cv-\nx"], ["CV-1", "xcv-1", "cv"]),
    ("a_c", ["abc", "aéc", "a%c"], ["ac", "abbc", "ABC"]),
    ("50\\%", ["50%"], ["500", "50"]),
    ("a\\_b", ["a_b"], ["axb"]),
    ("x*?[y]", ["x*?[y]"], ["xab[y]", "x*?y"]),
    ("end\\", ["end\\"], ["end"]),
    ("a\\\\%", ["a\\", "a\\bc"], ["a"]),
    ("%", ["", "anything"], []),
]


@pytest.mark.parametrize(("pattern", "matching", "other"), LIKE_CASES)
def test_like_regex(pattern: str, matching: list[str], other: list[str]) -> None:
    regex = like_to_regex(pattern)
    assert all(regex.fullmatch(v) for v in matching)
    assert not any(regex.fullmatch(v) for v in other)


def test_like_translations() -> None:
    assert like_to_glob("cv-%_") == "cv-*?"
    assert like_to_glob("x*?[") == "x[*][?][[]"
    assert like_to_glob("50\\%") == "50%"
    assert normalized_like("end\\") == "end\\\\"
    assert normalized_like("a\\b%") == "ab%"


def test_run_default_order_and_tie_breakers() -> None:
    start_desc = OrderKey("attribute", "start_time", False)
    run_id_asc = OrderKey("attribute", "run_id", True)
    assert run_order_with_defaults(()) == (start_desc, run_id_asc)
    acc = OrderKey("metric", "acc", True)
    assert run_order_with_defaults((acc,)) == (acc, start_desc, run_id_asc)
    start_asc = OrderKey("attribute", "start_time", True)
    assert run_order_with_defaults((start_asc,)) == (start_asc, run_id_asc)
