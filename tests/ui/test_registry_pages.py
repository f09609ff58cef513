"""The model registry pages (#/models, #/models/<name>, #/models/<name>/versions/<n>) against a
real seeded server. Tests that change data register their own models (unique names) through
the REST API, so the seeded "iris-classifier" stays as other tests expect it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from helpers.browser import screenshot


@pytest.fixture
def rest(seeded: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=seeded.url + "/api/2.0/mlflow", timeout=30) as client:
        yield client


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json())


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _register(rest: httpx.Client, seeded: Any, name: str, versions: int = 1, **model: Any) -> str:
    """Create registered model ``name`` with ``versions`` versions of the seeded model run."""
    _ok(rest.post("/registered-models/create", json={"name": name, **model}))
    run_id = seeded.ids["model_run_id"]
    for _ in range(versions):
        _ok(rest.post("/model-versions/create", json={
            "name": name, "source": f"runs:/{run_id}/model", "run_id": run_id,
        }))  # fmt: skip
    return name


def _set_alias(rest: httpx.Client, name: str, alias: str, version: str) -> None:
    body = {"name": name, "alias": alias, "version": version}
    _ok(rest.post("/registered-models/alias", json=body))


def _set_stage(rest: httpx.Client, name: str, version: str, stage: str) -> None:
    _ok(rest.post("/model-versions/transition-stage", json={
        "name": name, "version": version, "stage": stage, "archive_existing_versions": False,
    }))  # fmt: skip


def _version(rest: httpx.Client, name: str, version: str) -> dict[str, Any]:
    body = _ok(rest.get("/model-versions/get", params={"name": name, "version": version}))
    return dict(body["model_version"])


def _model_url(seeded: Any, name: str) -> str:
    return f"{seeded.url}/#/models/{quote(name, safe='')}"


def test_models_list_shows_the_seeded_model(page: Any, seeded: Any) -> None:
    page.goto(seeded.url + "/#/models")
    row = page.locator('[data-testid="model-row"][data-name="iris-classifier"]')
    expect(row).to_be_visible()
    expect(row.get_by_test_id("latest-version")).to_have_text("Version 1")
    expect(row).to_contain_text("Iris classifier.")
    row.get_by_test_id("model-link").click()
    expect(page).to_have_url(re.compile(r"#/models/iris-classifier$"))
    expect(page.get_by_test_id("model-name")).to_have_text("iris-classifier")


def test_search_narrows_the_list_and_escapes_quotes(
    page: Any, seeded: Any, rest: httpx.Client
) -> None:
    odd = _register(rest, seeded, _unique("o'brien_50%"), versions=0)
    rich = _register(rest, seeded, _unique("reg-churn"), versions=3, description=(
        "Predicts **churn** from 30 days of usage."
    ), tags=[{"key": "team", "value": "growth"}])  # fmt: skip
    _set_stage(rest, rich, "3", "Production")
    _set_stage(rest, rich, "2", "Staging")
    _set_alias(rest, rich, "champion", "3")

    page.goto(seeded.url + "/#/models")
    rows = page.get_by_test_id("model-row")
    expect(page.locator(f'[data-testid="model-row"][data-name="{rich}"]')).to_be_visible()
    assert rows.count() >= 3
    rich_row = page.locator(f'[data-testid="model-row"][data-name="{rich}"]')
    expect(rich_row.locator(".badge.stage-production")).to_be_visible()
    expect(rich_row.locator(".badge.stage-staging")).to_be_visible()
    expect(rich_row.locator(".badge.alias")).to_contain_text("champion")
    expect(rich_row).to_contain_text("growth")
    screenshot(page, "models-list")

    page.get_by_test_id("models-search").fill("IRIS")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-name", "iris-classifier")
    expect(page).to_have_url(re.compile(r"q=IRIS"))

    # quotes and LIKE wildcards in the text match literally
    page.get_by_test_id("models-search").fill("o'brien_50%")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-name", odd)
    page.get_by_test_id("models-search").fill("brien_5%0")
    expect(page.get_by_text("No models match")).to_be_visible()
    expect(page.locator(".state-error")).to_have_count(0)

    page.get_by_test_id("models-search").fill("")
    page.get_by_test_id("models-sort").select_option("name")
    expect(page).to_have_url(re.compile(r"sort=name"))
    names = page.get_by_test_id("model-row").evaluate_all("rows => rows.map(r => r.dataset.name)")
    assert names == sorted(names)


def test_model_page_shows_versions_and_description(page: Any, seeded: Any) -> None:
    page.goto(_model_url(seeded, "iris-classifier"))
    expect(page.get_by_test_id("model-description").locator("strong")).to_have_text("classifier")
    row = page.locator('[data-testid="version-row"][data-version="1"]')
    expect(row).to_be_visible()
    expect(row.locator(".badge.stage-none")).to_have_text("None")
    run_link = row.get_by_test_id("run-link")
    expect(run_link).to_have_text("trained-model")
    expected = f"#/experiments/{seeded.experiment_id}/runs/{seeded.ids['model_run_id']}"
    assert run_link.get_attribute("href") == expected
    row.get_by_test_id("version-link").click()
    expect(page).to_have_url(re.compile(r"#/models/iris-classifier/versions/1$"))
    expect(page.get_by_test_id("version-stage")).to_have_text("None")
    # the signature comes from the model's MLmodel file
    expect(page.get_by_test_id("signature")).to_contain_text("sepal length (cm)")
    files = page.get_by_test_id("model-files-link")
    assert files.get_attribute("href") == expected + "?tab=artifacts&path=model"


def test_version_page_mutations(page: Any, seeded: Any, rest: httpx.Client) -> None:
    name = _register(rest, seeded, _unique("reg-mut"), versions=2)
    page.goto(f"{_model_url(seeded, name)}/versions/1")
    expect(page.get_by_test_id("version-stage")).to_have_text("None")

    # stage transition
    page.get_by_test_id("transition-stage").click()
    page.get_by_test_id("stage-option-production").check()
    expect(page.get_by_test_id("archive-existing")).to_be_visible()
    page.get_by_test_id("confirm-transition").click()
    expect(page.get_by_test_id("version-stage")).to_have_text("Production")
    assert _version(rest, name, "1")["current_stage"] == "Production"

    # alias
    page.get_by_test_id("alias-input").fill("champion")
    page.get_by_test_id("add-alias").click()
    editor = page.get_by_test_id("alias-editor")
    expect(editor.get_by_test_id("alias-badge")).to_have_text("@champion")
    body = _ok(rest.get("/registered-models/alias", params={"name": name, "alias": "champion"}))
    assert body["model_version"]["version"] == "1"

    # ... shown on the model page too
    page.goto(_model_url(seeded, name))
    row = page.locator('[data-testid="version-row"][data-version="1"]')
    expect(row.get_by_test_id("alias-badge")).to_have_text("@champion")
    expect(row.locator(".badge.stage-production")).to_be_visible()
    expect(page.get_by_test_id("alias-item")).to_contain_text("Version 1")
    expect(page.get_by_test_id("version-row")).to_have_count(2)
    screenshot(page, "model-page")

    # remove the alias, edit the description, add a tag
    row.get_by_test_id("version-link").click()
    page.get_by_test_id("remove-alias").click()
    expect(page.get_by_test_id("alias-editor").get_by_test_id("alias-badge")).to_have_count(0)
    gone = rest.get("/registered-models/alias", params={"name": name, "alias": "champion"})
    assert gone.status_code == 400 and "not found" in gone.json()["message"]  # MLflow's answer

    description = page.get_by_test_id("version-description")
    description.get_by_role("button", name="Edit description").click()
    description.get_by_label("Description (Markdown)").fill("Validated on **holdout** data.")
    description.get_by_role("button", name="Save").click()
    expect(description.locator("strong")).to_have_text("holdout")
    assert _version(rest, name, "1")["description"] == "Validated on **holdout** data."

    tags = page.get_by_test_id("version-tags")
    tags.get_by_label("Tag key").fill("validated_by")
    tags.get_by_label("Tag value").fill("qa-team")
    tags.get_by_role("button", name="Save tag").click()
    expect(tags.locator("td", has_text="qa-team")).to_be_visible()
    tag_list = _version(rest, name, "1").get("tags", [])
    assert {"key": "validated_by", "value": "qa-team"} in tag_list
    page.get_by_test_id("alias-input").fill("candidate")
    page.get_by_test_id("add-alias").click()
    expect(page.get_by_test_id("alias-editor").get_by_test_id("alias-badge")).to_have_text(
        "@candidate"
    )
    screenshot(page, "model-version")


def test_moving_an_alias_asks_first(page: Any, seeded: Any, rest: httpx.Client) -> None:
    name = _register(rest, seeded, _unique("reg-alias"), versions=2)
    _set_alias(rest, name, "live", "1")
    page.goto(f"{_model_url(seeded, name)}/versions/2")
    page.get_by_test_id("alias-input").fill("live")
    page.get_by_test_id("add-alias").click()
    warning = page.get_by_test_id("alias-move-warning")
    expect(warning).to_contain_text("version 1")
    body = _ok(rest.get("/registered-models/alias", params={"name": name, "alias": "live"}))
    assert body["model_version"]["version"] == "1"  # nothing changed before confirming
    warning.get_by_test_id("confirm-alias-move").click()
    expect(page.get_by_test_id("alias-editor").get_by_test_id("alias-badge")).to_have_text("@live")
    body = _ok(rest.get("/registered-models/alias", params={"name": name, "alias": "live"}))
    assert body["model_version"]["version"] == "2"


def test_create_model_from_the_list(page: Any, seeded: Any, rest: httpx.Client) -> None:
    name = _unique("reg-created")
    page.goto(seeded.url + "/#/models")
    page.get_by_test_id("create-model").click()
    page.get_by_test_id("create-model-name").fill(name)
    page.get_by_test_id("create-model-description").fill("Made in the **UI**.")
    page.get_by_test_id("create-model-submit").click()
    expect(page.get_by_test_id("model-name")).to_have_text(name)
    expect(page.get_by_text("No versions yet")).to_be_visible()
    model = _ok(rest.get("/registered-models/get", params={"name": name}))["registered_model"]
    assert model["description"] == "Made in the **UI**."


def test_delete_version_then_model(page: Any, seeded: Any, rest: httpx.Client) -> None:
    name = _register(rest, seeded, _unique("reg-del"), versions=1)
    page.goto(f"{_model_url(seeded, name)}/versions/1")
    page.get_by_test_id("delete-version").click()
    page.get_by_test_id("confirm-action").click()
    expect(page).to_have_url(re.compile(re.escape(f"#/models/{name}") + "$"))
    expect(page.get_by_text("No versions yet")).to_be_visible()
    page.get_by_test_id("delete-model").click()
    page.get_by_test_id("confirm-action").click()
    expect(page).to_have_url(re.compile(r"#/models$"))
    assert rest.get("/registered-models/get", params={"name": name}).status_code == 404


def test_rename_model(page: Any, seeded: Any, rest: httpx.Client) -> None:
    name = _register(rest, seeded, _unique("reg-old"), versions=1)
    new_name = name.replace("reg-old", "reg-new")
    page.goto(_model_url(seeded, name))
    page.get_by_test_id("rename-model").click()
    page.get_by_test_id("rename-model-input").fill(new_name)
    page.get_by_test_id("rename-model-submit").click()
    expect(page.get_by_test_id("model-name")).to_have_text(new_name)
    expect(page.get_by_test_id("version-row")).to_have_count(1)
    assert rest.get("/registered-models/get", params={"name": new_name}).status_code == 200


def test_unknown_model_and_version_show_not_found(page: Any, seeded: Any) -> None:
    page.goto(seeded.url + "/#/models/no-such-model-here")
    not_found = page.get_by_test_id("not-found")
    expect(not_found).to_contain_text("Not found")
    expect(not_found.get_by_role("link")).to_have_attribute("href", "#/models")
    page.goto(seeded.url + "/#/models/iris-classifier/versions/999")
    expect(page.get_by_test_id("not-found")).to_contain_text("Version 999")
    expect(page.get_by_test_id("not-found").get_by_role("link")).to_have_attribute(
        "href", "#/models/iris-classifier"
    )
