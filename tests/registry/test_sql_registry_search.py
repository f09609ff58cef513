"""registered-models/search and model-versions/search: filters, order, pagination, limits."""

from __future__ import annotations

import pytest

from mltrail.entities import ModelVersionTag, RegisteredModelTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.model_registry.sql import SqlModelRegistryStore
from mltrail.store.tracking.sql import SqlTrackingStore

PROMPT = "mlflow.prompt.is_prompt"


@pytest.fixture
def populated(registry: SqlModelRegistryStore, tracking: SqlTrackingStore) -> dict[str, str]:
    runs = {}
    for label in ("r1", "r2"):
        runs[label] = tracking.create_run("0", "u", 0, [], label).info.run_id
    registry.create_registered_model("alpha", [RegisteredModelTag("team", "Vision")])
    registry.create_registered_model("Beta", [RegisteredModelTag("team", "nlp")])
    registry.create_registered_model("gamma")
    registry.create_registered_model("my-prompt", [RegisteredModelTag(PROMPT, "true")])
    for name, run in (("alpha", "r1"), ("alpha", "r2"), ("alpha", "r1"), ("Beta", "r2")):
        registry.create_model_version(
            name,
            f"runs:/{runs[run]}/model",
            tags=[ModelVersionTag("quality", "good" if run == "r1" else "bad")],
        )
    registry.create_model_version(
        "my-prompt", "s3://bucket/prompt", tags=[ModelVersionTag(PROMPT, "true")]
    )
    return runs


def _names(models) -> list[str]:
    return [m.name for m in models]


def _versions(versions) -> list[tuple[str, str]]:
    return [(v.name, v.version) for v in versions]


def test_registered_model_filters(registry: SqlModelRegistryStore, populated):
    assert _names(registry.search_registered_models()) == ["Beta", "alpha", "gamma"]
    assert _names(registry.search_registered_models("name = 'alpha'")) == ["alpha"]
    assert _names(registry.search_registered_models("name != 'alpha'")) == ["Beta", "gamma"]
    assert _names(registry.search_registered_models("name LIKE 'a%'")) == ["alpha"]
    assert _names(registry.search_registered_models("name like 'b%'")) == []  # case-sensitive
    assert _names(registry.search_registered_models("name ILIKE 'b%'")) == ["Beta"]
    assert _names(registry.search_registered_models("name IN ('gamma', 'Beta')")) == [
        "Beta",
        "gamma",
    ]
    assert _names(registry.search_registered_models("name NOT IN ('gamma')")) == ["Beta", "alpha"]
    assert _names(registry.search_registered_models("tags.team = 'nlp'")) == ["Beta"]
    assert _names(registry.search_registered_models("tag.team ILIKE 'vis%'")) == ["alpha"]
    assert _names(registry.search_registered_models("tags.team != 'nlp'")) == ["alpha"]


def test_prompt_models_are_excluded_unless_selected(registry: SqlModelRegistryStore, populated):
    exclusion = f"tag.`{PROMPT}` != 'true'"
    assert _names(registry.search_registered_models(exclusion)) == ["Beta", "alpha", "gamma"]
    assert _names(registry.search_registered_models(f"name LIKE '%a%' AND {exclusion}")) == [
        "Beta",
        "alpha",
        "gamma",
    ]
    assert _names(registry.search_registered_models(f"tags.`{PROMPT}` = 'false'")) == [
        "Beta",
        "alpha",
        "gamma",
    ]
    assert _names(registry.search_registered_models(f"tags.`{PROMPT}` = 'true'")) == ["my-prompt"]
    assert _versions(registry.search_model_versions(f"tags.`{PROMPT}` = 'true'")) == [
        ("my-prompt", "1")
    ]
    assert "my-prompt" not in {v.name for v in registry.search_model_versions()}


def test_registered_model_order_and_pagination(registry: SqlModelRegistryStore, populated):
    by_update = registry.search_registered_models(order_by=["last_updated_timestamp DESC"])
    stamps = [m.last_updated_timestamp for m in by_update]
    assert stamps == sorted(stamps, reverse=True)
    assert _names(registry.search_registered_models(order_by=["name DESC"])) == [
        "gamma",
        "alpha",
        "Beta",
    ]
    assert registry.search_registered_models(order_by=["timestamp"])  # alias accepted
    first = registry.search_registered_models(max_results=2)
    assert _names(first) == ["Beta", "alpha"] and first.token
    second = registry.search_registered_models(max_results=2, page_token=first.token)
    assert _names(second) == ["gamma"] and second.token is None
    latest = next(m for m in first if m.name == "alpha").latest_versions
    assert [(v.current_stage, v.version) for v in latest] == [("None", "3")]


def test_model_version_filters(registry: SqlModelRegistryStore, populated):
    r1, r2 = populated["r1"], populated["r2"]
    assert _versions(
        registry.search_model_versions("name = 'alpha'", order_by=["version_number"])
    ) == [
        ("alpha", "1"),
        ("alpha", "2"),
        ("alpha", "3"),
    ]
    assert {v.version for v in registry.search_model_versions(f"run_id = '{r1}'")} == {"1", "3"}
    found = registry.search_model_versions(f"run_id IN ('{r2}') AND name = 'Beta'")
    assert _versions(found) == [("Beta", "1")]
    assert len(registry.search_model_versions("version_number >= 2")) == 2
    assert len(registry.search_model_versions("version_number != 1")) == 2
    assert len(registry.search_model_versions(f"source_path = 'runs:/{r1}/model'")) == 2
    assert len(registry.search_model_versions("source_path LIKE 'runs:/%'")) == 4
    assert len(registry.search_model_versions("tags.quality = 'good'")) == 2
    assert len(registry.search_model_versions("tag.quality ILIKE 'BAD'")) == 2
    registry.delete_model_version("alpha", "3")
    assert {v.version for v in registry.search_model_versions("name = 'alpha'")} == {"1", "2"}


def test_model_version_order_and_pagination(registry: SqlModelRegistryStore, populated):
    default = registry.search_model_versions()
    stamps = [v.last_updated_timestamp for v in default]
    assert stamps == sorted(stamps, reverse=True)
    ordered = registry.search_model_versions(order_by=["name ASC", "version_number DESC"])
    assert _versions(ordered) == [("Beta", "1"), ("alpha", "3"), ("alpha", "2"), ("alpha", "1")]
    pages, token = [], None
    while True:
        page = registry.search_model_versions(
            max_results=1, order_by=["creation_timestamp"], page_token=token
        )
        pages.extend(page)
        token = page.token
        if token is None:
            break
    assert len(pages) == 4 and len(set(_versions(pages))) == 4


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("search_registered_models", {"filter_string": "creation_timestamp > 0"}),
        ("search_registered_models", {"filter_string": "name = 'a' OR name = 'b'"}),
        ("search_registered_models", {"filter_string": "tags.x IS NULL"}),
        ("search_registered_models", {"order_by": ["creation_timestamp"]}),
        ("search_registered_models", {"order_by": ["name", "name DESC"]}),
        ("search_registered_models", {"max_results": 1001}),
        ("search_registered_models", {"max_results": 0}),
        ("search_registered_models", {"page_token": "garbage"}),
        ("search_model_versions", {"filter_string": "description = 'x'"}),
        ("search_model_versions", {"filter_string": "version_number = 'one'"}),
        ("search_model_versions", {"filter_string": "source_path IN ('a')"}),
        ("search_model_versions", {"order_by": ["source_path"]}),
        ("search_model_versions", {"max_results": 200001}),
        ("search_model_versions", {"max_results": 0}),
    ],
)
def test_bad_search_arguments(registry: SqlModelRegistryStore, call: str, kwargs):
    with pytest.raises(MlflowException) as info:
        getattr(registry, call)(**kwargs)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_search_limits_accept_the_maximum(registry: SqlModelRegistryStore, populated):
    assert len(registry.search_registered_models(max_results=1000)) == 3
    assert len(registry.search_model_versions(max_results=200000)) == 4
