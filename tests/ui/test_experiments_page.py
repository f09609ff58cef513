"""The experiments list (route ``#/``): list, search, show deleted, create, rename, delete,
restore, select for comparison; screenshots in light and dark themes.

Tests that change data make their own experiments (unique names), so the seeded
experiments other tests look at stay as they are.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs

import httpx

from helpers.browser import screenshot


def _open(page: Any, url: str, hash_: str = "#/") -> None:
    page.goto(f"{url}/{hash_}")
    page.get_by_test_id("experiments-table").wait_for()


def _names(page: Any) -> list[str]:
    return page.locator('[data-testid="experiment-row"] td.exp-name').all_inner_texts()


def _row(page: Any, name: str) -> Any:
    return page.get_by_test_id("experiment-row").filter(has=page.get_by_text(name, exact=True))


def test_lists_active_experiments_and_shows_deleted(page: Any, seeded: Any) -> None:
    _open(page, seeded.url)
    names = _names(page)
    assert "ui-demo" in names
    assert "empty-experiment" in names
    assert "old-experiment" not in " ".join(names)
    demo = _row(page, "ui-demo")
    assert demo.get_attribute("data-experiment-id") == seeded.experiment_id
    assert "Runs for the UI tests." in demo.inner_text()
    assert "team" in demo.inner_text()
    link = demo.get_by_role("link", name="ui-demo")
    assert link.get_attribute("href") == f"#/experiments/{seeded.experiment_id}"
    screenshot(page, "experiments-list")

    page.get_by_test_id("show-deleted").check()
    old = page.locator('[data-testid="experiment-row"][data-stage="deleted"]')
    old.filter(has_text="old-experiment").wait_for()
    assert old.filter(has_text="old-experiment").get_by_test_id("restore-experiment").is_visible()
    assert "deleted=1" in page.url
    page.get_by_test_id("show-deleted").uncheck()
    old.first.wait_for(state="detached")

    page.get_by_test_id("theme-toggle").click()
    screenshot(page, "experiments-list-dark")


def test_search_narrows_case_insensitively(page: Any, seeded: Any) -> None:
    _open(page, seeded.url)
    page.get_by_test_id("experiment-search").fill("DEMO")
    page.wait_for_function("document.querySelectorAll('[data-testid=experiment-row]').length === 1")
    assert _names(page) == ["ui-demo"]
    page.get_by_test_id("experiment-search").fill("%")
    page.get_by_text("No matching experiments").wait_for()
    page.get_by_role("button", name="Clear search").click()
    page.get_by_text("empty-experiment", exact=True).wait_for()
    # the search lives in the URL: a reload keeps it
    _open(page, seeded.url, "#/?q=empty")
    assert _names(page) == ["empty-experiment"]


def test_sorts_by_name_and_created(page: Any, seeded: Any) -> None:
    _open(page, seeded.url)
    page.get_by_test_id("sort-name").click()
    names = _names(page)
    assert names == sorted(names, key=str.lower)
    page.get_by_test_id("sort-name").click()
    assert _names(page) == sorted(names, key=str.lower, reverse=True)
    page.get_by_test_id("sort-created").click()
    ids = page.get_by_test_id("experiment-row").evaluate_all(
        "rows => rows.map(r => Number(r.dataset.experimentId))"
    )
    assert ids == sorted(ids)


def test_create_rename_delete_restore(page: Any, seeded: Any) -> None:
    name = f"pw-exp-{uuid.uuid4().hex[:8]}"
    _open(page, seeded.url)
    page.get_by_test_id("create-experiment").click()
    dialog = page.get_by_role("dialog", name="Create experiment")
    dialog.get_by_test_id("create-experiment-name").fill(name)
    dialog.get_by_role("button", name="+ Add tag").click()
    dialog.get_by_label("Tag 1 key").fill("owner")
    dialog.get_by_label("Tag 1 value").fill("playwright")
    dialog.get_by_test_id("create-experiment-form-submit").click()
    dialog.wait_for(state="detached")
    row = _row(page, name)
    row.wait_for()
    assert "owner" in row.inner_text() and "playwright" in row.inner_text()
    experiment_id = row.get_attribute("data-experiment-id")
    assert experiment_id
    body = httpx.get(
        f"{seeded.url}/api/2.0/mlflow/experiments/get", params={"experiment_id": experiment_id}
    ).json()
    assert body["experiment"]["name"] == name

    # a duplicate name: the server's error is shown in the dialog, which stays open
    page.get_by_test_id("create-experiment").click()
    dialog = page.get_by_role("dialog", name="Create experiment")
    dialog.get_by_test_id("create-experiment-name").fill(name)
    dialog.get_by_test_id("create-experiment-form-submit").click()
    dialog.get_by_role("alert").wait_for()
    assert "already exists" in dialog.get_by_role("alert").inner_text()
    dialog.get_by_role("button", name="Cancel").click()

    # it opens
    row.get_by_role("link", name=name).click()
    page.wait_for_url(f"**/#/experiments/{experiment_id}")
    page.go_back()
    page.get_by_test_id("experiments-table").wait_for()

    renamed = f"{name}-renamed"
    _row(page, name).get_by_test_id("rename-experiment").click()
    dialog = page.get_by_role("dialog", name="Rename experiment")
    dialog.get_by_test_id("rename-experiment-name").fill(renamed)
    dialog.get_by_test_id("rename-experiment-form-submit").click()
    dialog.wait_for(state="detached")
    _row(page, renamed).wait_for()
    assert _row(page, name).count() == 0

    _row(page, renamed).get_by_test_id("delete-experiment").click()
    dialog = page.get_by_role("dialog", name="Delete experiment")
    assert renamed in dialog.inner_text()
    dialog.get_by_test_id("delete-experiment-form-submit").click()
    dialog.wait_for(state="detached")
    page.locator(f'[data-experiment-id="{experiment_id}"]').wait_for(state="detached")

    page.get_by_test_id("show-deleted").check()
    deleted = page.locator(f'[data-experiment-id="{experiment_id}"]')
    deleted.wait_for()
    assert deleted.get_attribute("data-stage") == "deleted"
    deleted.get_by_test_id("restore-experiment").click()
    page.locator(f'[data-experiment-id="{experiment_id}"][data-stage="active"]').wait_for()
    page.get_by_test_id("show-deleted").uncheck()
    _row(page, renamed).get_by_role("link", name=renamed).wait_for()


def test_select_two_and_compare(page: Any, seeded: Any) -> None:
    _open(page, seeded.url)
    compare = page.get_by_test_id("compare-experiments")
    assert compare.is_disabled()
    _row(page, "ui-demo").get_by_role("checkbox").check()
    assert compare.is_disabled()
    _row(page, "empty-experiment").get_by_role("checkbox").check()
    assert compare.inner_text() == "Compare experiments (2)"
    compare.click()
    page.wait_for_url("**/#/compare-experiments?experiments=*")
    fragment = page.url.split("#", 1)[1]
    path, query = fragment.split("?", 1)
    assert path == "/compare-experiments"
    assert "%2C" not in query
    ids = parse_qs(query)["experiments"][0].split(",")
    assert sorted(ids) == sorted([seeded.experiment_id, str(seeded.ids["empty_experiment_id"])])
