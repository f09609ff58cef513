"""Request parsing rules (protocol.requests) as MLflow applies them."""

from __future__ import annotations

import json
import math

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.messages import REQUESTS
from mltrail.protocol.requests import (
    camel_case,
    decode_json_body,
    group_query,
    parse_json,
    parse_query,
)


def _query(name: str, items: list[tuple[str, str]]) -> dict:
    return parse_query(REQUESTS[name], group_query(items))


def _error(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(MlflowException) as info:
        call(*args)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    return info.value.message


def test_get_repeated_keys_make_arrays_and_scalars_take_the_first_value():
    values = _query(
        "get_metric_history_bulk_interval",
        [("run_ids", "a"), ("run_ids", "b"), ("metric_key", "loss"), ("metric_key", "other"),
         ("max_results", "10")],
    )  # fmt: skip
    assert values == {"run_ids": ["a", "b"], "metric_key": "loss", "max_results": 10}
    single = _query("get_metric_history_bulk_interval", [("run_ids", "a"), ("metric_key", "k")])
    assert single["run_ids"] == ["a"]


@pytest.mark.parametrize("text, expected", [("true", True), ("True", True), ("FALSE", False)])
def test_bools_in_query_are_case_insensitive(text: str, expected: bool):
    values = _query("get_logged_model", [("model_id", "m-1"), ("allow_deleted", text)])
    assert values["allow_deleted"] is expected


def test_a_bad_bool_is_rejected():
    message = _error(_query, "get_logged_model", [("model_id", "m"), ("allow_deleted", "yes")])
    assert "allow_deleted" in message


def test_missing_required_parameter_message_matches_mlflow():
    message = _error(parse_json, REQUESTS["get_experiment"], {})
    assert message == (
        "Missing value for required parameter 'experiment_id'. See the API docs for more "
        "information about request parameters."
    )
    # An empty string counts as missing; so does a missing run_id *and* run_uuid.
    assert "'name'" in _error(parse_json, REQUESTS["create_experiment"], {"name": ""})
    assert "'run_id'" in _error(parse_json, REQUESTS["get_run"], {})
    assert parse_json(REQUESTS["get_run"], {"run_uuid": "abc"}) == {"run_uuid": "abc"}


def test_nested_required_fields_are_named_with_their_index():
    body = {"run_id": "r", "metrics": [{"key": "a", "value": 1, "timestamp": 1},
                                       {"key": "b", "value": 2}]}  # fmt: skip
    assert "'metrics[1].timestamp'" in _error(parse_json, REQUESTS["log_batch"], body)


def test_content_type_is_required_for_post():
    assert _error(decode_json_body, b"{}", "POST", None) == (
        "Bad Request. Content-Type header is missing."
    )
    assert "text/plain" in _error(decode_json_body, b"{}", "POST", "text/plain")
    assert decode_json_body(b'{"a": 1}', "POST", "application/json; charset=utf-8") == {"a": 1}
    # PATCH and DELETE bodies are read without a Content-Type check.
    assert decode_json_body(b'{"a": 1}', "DELETE", None) == {"a": 1}


def test_empty_and_double_encoded_bodies():
    assert decode_json_body(b"", "POST", "application/json") == {}
    inner = json.dumps({"name": "x"})
    assert decode_json_body(json.dumps(inner).encode(), "POST", "application/json") == {"name": "x"}
    assert "JSON object" in _error(decode_json_body, b"[1]", "POST", "application/json")
    assert "Malformed JSON" in _error(decode_json_body, b"{", "POST", "application/json")
    deep = b"[" * 100_000 + b"]" * 100_000
    _error(decode_json_body, deep, "POST", "application/json")


def test_camel_case_aliases_for_optional_fields():
    assert camel_case("artifact_location") == "artifactLocation"
    values = parse_json(REQUESTS["create_experiment"], {"name": "e", "artifactLocation": "/x"})
    assert values == {"name": "e", "artifact_location": "/x"}
    both = {"name": "e", "artifactLocation": "/x", "artifact_location": "/y"}
    assert "given twice" in _error(parse_json, REQUESTS["create_experiment"], both)


def test_wrong_json_types_are_rejected():
    message = _error(parse_json, REQUESTS["create_experiment"], {"name": 123})
    assert "'name'" in message and "int" in message
    _error(parse_json, REQUESTS["search_runs"], {"experiment_ids": [3]})
    _error(parse_json, REQUESTS["search_runs"], {"experiment_ids": "0"})
    _error(parse_json, REQUESTS["log_batch"], {"run_id": "r", "metrics": [5]})


def test_numbers_accept_decimal_strings_and_special_doubles():
    body = {"run_id": "r", "key": "k", "value": "NaN", "timestamp": "1700000000000", "step": 3}
    values = parse_json(REQUESTS["log_metric"], body)
    assert math.isnan(values["value"]) and values["timestamp"] == 1700000000000
    for text, expected in (("Infinity", math.inf), ("-Infinity", -math.inf), ("2.5", 2.5)):
        assert parse_json(REQUESTS["log_metric"], {**body, "value": text})["value"] == expected
    _error(parse_json, REQUESTS["log_metric"], {**body, "value": True})
    _error(parse_json, REQUESTS["log_metric"], {**body, "value": "abc"})
    _error(parse_json, REQUESTS["log_metric"], {**body, "step": 1.5})
    _error(parse_json, REQUESTS["log_metric"], {**body, "timestamp": 2**63})
    _error(parse_json, REQUESTS["search_runs"], {"max_results": 2**31})


def test_enums_accept_names_and_numbers():
    body = {"run_id": "r", "status": "FINISHED"}
    assert parse_json(REQUESTS["update_run"], body)["status"] == "FINISHED"
    assert parse_json(REQUESTS["update_run"], {**body, "status": 4})["status"] == "FAILED"
    assert "FINISHED" in _error(parse_json, REQUESTS["update_run"], {**body, "status": "DONE"})


def test_unknown_keys_and_nulls_are_ignored():
    values = parse_json(REQUESTS["get_experiment"], {"experiment_id": "1", "other": [1, 2]})
    assert values == {"experiment_id": "1"}
    assert parse_json(REQUESTS["create_run"], {"run_name": None}) == {}


def test_lists_and_strings_are_bounded():
    run_ids = [("run_ids", str(i)) for i in range(101)] + [("metric_key", "k")]
    assert "at most 100" in _error(_query, "get_metric_history_bulk_interval", run_ids)
    huge = {"experiment_id": "1", "key": "k", "value": "x" * 1_048_577}
    assert "too long" in _error(parse_json, REQUESTS["set_experiment_tag"], huge)
