"""The runs/search filter and order_by grammar: accepted forms and precise rejections."""

from __future__ import annotations

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search import Comparison, OrderKey, parse_run_filter, parse_run_order_by


def rejection(filter_string: str) -> MlflowException:
    with pytest.raises(MlflowException) as caught:
        parse_run_filter(filter_string)
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert caught.value.get_http_status_code() == 400
    return caught.value


def assert_points_at(error: MlflowException, text: str, position: int) -> None:
    """The message quotes the input, names the position and draws a caret under it."""
    lines = error.message.splitlines()
    assert f'"{text}"' in lines[0]
    assert f"at character {position}." in lines[0]
    assert lines[-2] == "  " + text
    assert lines[-1] == "  " + " " * position + "^"


C = Comparison

ACCEPTED = [
    ("metrics.acc > 0.1", [C("metric", "acc", ">", 0.1)]),
    (
        "metrics.rmse <= 1e-3 and params.model = 'rf'",
        [C("metric", "rmse", "<=", 0.001), C("param", "model", "=", "rf")],
    ),
    ("tags.`mlflow.parentRunId` = 'abc'", [C("tag", "mlflow.parentRunId", "=", "abc")]),
    ("attributes.status = 'FINISHED'", [C("attribute", "status", "=", "FINISHED")]),
    ("run_name LIKE 'cv-%'", [C("attribute", "run_name", "LIKE", "cv-%")]),
    ("attributes.run_id IN ('a','b')", [C("attribute", "run_id", "IN", ("a", "b"))]),
    ("params.lr IS NOT NULL", [C("param", "lr", "IS NOT NULL", None)]),
    ("created > 1700000000000", [C("attribute", "start_time", ">", 1700000000000)]),
    ("dataset.context = 'train'", [C("dataset", "context", "=", "train")]),
    # entity prefixes and their aliases
    ("metric.a = 1", [C("metric", "a", "=", 1)]),
    ("param.a = 'x'", [C("param", "a", "=", "x")]),
    ("parameter.a = 'x'", [C("param", "a", "=", "x")]),
    ("parameters.a = 'x'", [C("param", "a", "=", "x")]),
    ("tag.a = 'x'", [C("tag", "a", "=", "x")]),
    ("attribute.user_id = 'u'", [C("attribute", "user_id", "=", "u")]),
    ("attr.user_id = 'u'", [C("attribute", "user_id", "=", "u")]),
    ("run.artifact_uri LIKE 's3://%'", [C("attribute", "artifact_uri", "LIKE", "s3://%")]),
    ("datasets.name IN ('d1')", [C("dataset", "name", "IN", ("d1",))]),
    ("dataset.digest NOT IN ('x', \"y\")", [C("dataset", "digest", "NOT IN", ("x", "y"))]),
    # attribute aliases
    ("Created < 5", [C("attribute", "start_time", "<", 5)]),
    ("attributes.created >= 1.5", [C("attribute", "start_time", ">=", 1.5)]),
    ("`run name` = 'a'", [C("attribute", "run_name", "=", "a")]),
    ("`Run name` = 'a'", [C("attribute", "run_name", "=", "a")]),
    ("\"Run Name\" = 'a'", [C("attribute", "run_name", "=", "a")]),
    ("attributes.`Run Name` != 'a'", [C("attribute", "run_name", "!=", "a")]),
    ("end_time != 0", [C("attribute", "end_time", "!=", 0)]),
    # numbers: negative, exponent, leading dot, explicit sign, no spaces
    ("metrics.a > -1", [C("metric", "a", ">", -1)]),
    ("metrics.a>=-1.5E3", [C("metric", "a", ">=", -1500.0)]),
    ("metrics.a < .5", [C("metric", "a", "<", 0.5)]),
    ("metrics.a < +2", [C("metric", "a", "<", 2)]),
    ("metrics.a = 1e400", [C("metric", "a", "=", float("inf"))]),
    # quoting of keys and values
    ('metrics."val-loss" < 1', [C("metric", "val-loss", "<", 1)]),
    ("metrics.`val loss` < 1", [C("metric", "val loss", "<", 1)]),
    ('tags.mlflow.runName = "x"', [C("tag", "mlflow.runName", "=", "x")]),
    ("tags.`a``b` = 'x'", [C("tag", "a`b", "=", "x")]),
    ("params.a = 'it''s'", [C("param", "a", "=", "it's")]),
    ("params.a = 'it\\'s'", [C("param", "a", "=", "it's")]),
    ("params.a = ''", [C("param", "a", "=", "")]),
    ("params.a = 'x AND y'", [C("param", "a", "=", "x AND y")]),
    ("params.a.b.c = 'v'", [C("param", "a.b.c", "=", "v")]),
    # keyword case, whitespace
    (
        "params.a like 'x' AnD tags.b ilike 'y'",
        [C("param", "a", "LIKE", "x"), C("tag", "b", "ILIKE", "y")],
    ),
    (
        "params.a is null and tags.b Is Not Null",
        [C("param", "a", "IS NULL", None), C("tag", "b", "IS NOT NULL", None)],
    ),
    ("run_id not in ('a')", [C("attribute", "run_id", "NOT IN", ("a",))]),
    ("\n  metrics.a\t>\n1  ", [C("metric", "a", ">", 1)]),
    ("run_id in('a','b')", [C("attribute", "run_id", "IN", ("a", "b"))]),
]


@pytest.mark.parametrize(("filter_string", "expected"), ACCEPTED)
def test_accepted_filters(filter_string: str, expected: list[Comparison]) -> None:
    assert parse_run_filter(filter_string) == tuple(expected)


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_filter_has_no_clauses(empty: str | None) -> None:
    assert parse_run_filter(empty) == ()


# (filter, position of the caret, fragment of the explanation)
REJECTED = [
    ("metrics.acc >> 0.5", 13, "Expected a value after '>'"),
    ("metrics.a > 1 OR metrics.b < 1", 14, "join clauses with and; or is not supported"),
    ("params.model = rf", 15, "quote string values: params.model = 'rf'"),
    ("metrics.val-loss > 1", 11, "metrics.`val-loss`"),
    ("params.my key = 'x'", 10, "params.`my key`"),
    ("metrics.acc == 1", 12, "use '='"),
    ("metrics.acc <> 1", 12, "use '!='"),
    ("metrics.a ! 1", 10, "'!='"),
    ("metrics.acc > '0.5'", 14, "remove the quotes: metrics.acc > 0.5"),
    ("metrics.acc > 'high'", 14, "numbers"),
    ("metrics.acc > high", 14, "expected a number"),
    ("params.lr = 0.1", 12, "quote string values: params.lr = '0.1'"),
    ("params.lr = `x`", 12, "back quotes are for keys"),
    ("tags.x = NULL", 9, "is null"),
    ("params.a IN ('x')", 9, "in is only supported for attributes.run_id, dataset.name"),
    ("tags.a NOT IN ('x')", 7, "not in is only supported"),
    ("metrics.a IS NULL", 10, "is null is only supported for params.<key>, tags.<key>"),
    ("start_time IS NOT NULL", 11, "is not null is only supported"),
    ("metrics.a LIKE '1'", 10, "use one of"),
    ("status > 'A'", 7, "use one of: !=, =, ilike, like"),
    ("run_name IN ('a')", 9, "in is only supported"),
    ("created > '5'", 10, "remove the quotes"),
    ("created > 1e30", 10, "out of range"),
    ("metrics.a > 1; metrics.b > 2", 13, "single and-ed expression list"),
    ("metrics.a > 1;", 13, "multiple expressions"),
    ("(metrics.a > 1)", 0, "parentheses"),
    ("metrics.a > 1 AND (params.b = 'x')", 18, "parentheses"),
    ("NOT metrics.a > 1", 0, "not is only supported"),
    ("foo = 'x'", 0, "invalid attribute key 'foo'"),
    ("acc > 1", 0, "metrics.acc or params.acc or tags.acc"),
    ("run_nme = 'x'", 0, "did you mean 'run_name'"),
    ("lifecycle_stage = 'active'", 0, "invalid attribute key"),
    ("mlflow.runName = 'x'", 0, "invalid entity prefix 'mlflow'"),
    ("Metrics.acc > 1", 0, "invalid entity prefix 'Metrics'"),
    ("dataset.source = 'x'", 0, "invalid dataset key 'source'"),
    ("metrics. > 1", 8, "missing key"),
    ("metrics.`` > 1", 0, "empty key"),
    ("attributes.run_id IN ()", 22, "empty in list"),
    ("attributes.run_id IN ('a',)", 26, "quoted strings only"),
    ("attributes.run_id IN ('a' 'b')", 26, "separate list values with ','"),
    ("attributes.run_id IN ('a', 1)", 27, "quoted strings only"),
    ("attributes.run_id IN 'a'", 21, "parenthesised list"),
    ("attributes.run_id IN ('a'", 25, "close with ')'"),
    ("metrics.a > ", 12, "expected a value"),
    ("metrics.a", 9, "expected a comparator"),
    ("metrics.a > 1 AND", 17, "expected a key"),
    ("AND metrics.a > 1", 0, "expected a key"),
    ("params.a = 'x' metrics.b > 1", 15, "join clauses with and"),
    ("params.a = 'x' AND AND params.b = 'y'", 19, "expected a key"),
    ("params.x = 'abc", 11, "unterminated quoted string"),
    ("tags.`abc = 'x'", 5, "unterminated back-quoted key"),
    ("metrics.a > 1.5.3", 12, "malformed number"),
    ("metrics.a > 12abc", 12, "malformed number"),
    ("metrics.a IS 1", 13, "is null"),
    ("metrics.a NOT LIKE '1'", 14, "expected 'in' after 'not'"),
    ("params.a = 'x' @ 1", 15, "special characters"),
    ("metrics.a > 1 || metrics.b > 1", 14, "unexpected '|'"),
]


@pytest.mark.parametrize(("filter_string", "position", "explanation"), REJECTED)
def test_rejected_filters(filter_string: str, position: int, explanation: str) -> None:
    error = rejection(filter_string)
    assert_points_at(error, filter_string, position)
    assert explanation.lower() in error.message.lower()


def test_message_example_from_the_docs() -> None:
    error = rejection("metrics.acc >> 0.5")
    assert error.message == (
        "Invalid filter \"metrics.acc >> 0.5\": unexpected '>' at character 13. "
        "Expected a value after '>'.\n"
        "  metrics.acc >> 0.5\n"
        "               ^"
    )


@pytest.mark.parametrize("blank", [" ", "   ", "\n\t"])
def test_whitespace_only_filter_is_rejected(blank: str) -> None:
    error = rejection(blank)
    assert "blank" in error.message


def test_caret_stays_aligned_on_multiline_filters() -> None:
    text = "metrics.a > 1\nAND metrics.b >> 2"
    error = rejection(text)
    assert error.message.splitlines()[-2] == "  metrics.a > 1 AND metrics.b >> 2"
    assert error.message.splitlines()[-1].index("^") - 2 == text.index(">> 2") + 1


# ---- order_by -------------------------------------------------------------------------------

K = OrderKey

ORDER_ACCEPTED = [
    (["metrics.acc DESC"], [K("metric", "acc", False)]),
    (["metrics.acc"], [K("metric", "acc", True)]),
    (["metric.`val-loss` asc"], [K("metric", "val-loss", True)]),
    (["params.model Desc"], [K("param", "model", False)]),
    (["tags.mlflow.runName"], [K("tag", "mlflow.runName", True)]),
    (['tags."a b" DESC'], [K("tag", "a b", False)]),
    (["start_time"], [K("attribute", "start_time", True)]),
    (["created DESC"], [K("attribute", "start_time", False)]),
    (["attributes.Created"], [K("attribute", "start_time", True)]),
    (
        ["attribute.end_time", "status DESC"],
        [K("attribute", "end_time", True), K("attribute", "status", False)],
    ),
    (
        ["run_name", "run_id", "user_id", "artifact_uri"],
        [K("attribute", k, True) for k in ("run_name", "run_id", "user_id", "artifact_uri")],
    ),
    (
        ["metrics.a", "params.a", "tags.a"],
        [K("metric", "a", True), K("param", "a", True), K("tag", "a", True)],
    ),
    ([" metrics.a   DESC "], [K("metric", "a", False)]),
]


@pytest.mark.parametrize(("order_by", "expected"), ORDER_ACCEPTED)
def test_accepted_order_by(order_by: list[str], expected: list[OrderKey]) -> None:
    assert parse_run_order_by(order_by) == tuple(expected)


@pytest.mark.parametrize("empty", [None, []])
def test_empty_order_by(empty: list[str] | None) -> None:
    assert parse_run_order_by(empty) == ()


ORDER_REJECTED = [
    ("metrics.acc DOWN", 12, "expected asc or desc"),
    ("metrics.acc DESC ASC", 17, "nothing may follow asc or desc"),
    ("metrics.acc DESC, params.a", 16, "nothing may follow"),
    ("metrics.my key DESC", 11, "metrics.`my key`"),
    ("dataset.name", 0, "dataset keys are not supported here"),
    ("`Run name`", 0, "did you mean 'run_name'"),
    ("foo", 0, "invalid attribute key 'foo'"),
    ("metrics.acc;", 11, "unexpected ';'"),
    ("metrics.a = 1", 10, "expected asc or desc"),
]


@pytest.mark.parametrize(("clause", "position", "explanation"), ORDER_REJECTED)
def test_rejected_order_by(clause: str, position: int, explanation: str) -> None:
    with pytest.raises(MlflowException) as caught:
        parse_run_order_by([clause])
    error = caught.value
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert error.message.startswith(f'Invalid order_by clause "{clause}"')
    assert f"at character {position}." in error.message
    assert error.message.splitlines()[-1] == "  " + " " * position + "^"
    assert explanation.lower() in error.message.lower()


@pytest.mark.parametrize(
    "order_by",
    [["metrics.a", "metrics.a DESC"], ["created", "start_time DESC"], ["tags.x", "tag.x"]],
)
def test_duplicate_order_by_keys_are_rejected(order_by: list[str]) -> None:
    with pytest.raises(MlflowException) as caught:
        parse_run_order_by(order_by)
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert "duplicate" in caught.value.message


def test_same_key_of_different_entities_is_not_a_duplicate() -> None:
    assert len(parse_run_order_by(["metrics.a", "params.a"])) == 2


@pytest.mark.parametrize("clause", ["", "   "])
def test_blank_order_by_clause_is_rejected(clause: str) -> None:
    with pytest.raises(MlflowException) as caught:
        parse_run_order_by([clause])
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
