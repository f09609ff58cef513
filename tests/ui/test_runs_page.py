"""The experiment runs page: count, filter, sort, nesting, selection, columns, delete/restore."""

from __future__ import annotations

import re
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
from playwright.sync_api import expect

from helpers.browser import screenshot

ROWS = '[data-testid="run-row"]'


def _open(page: Any, seeded: Any, experiment_id: str | None = None, query: str = "") -> None:
    page.goto(f"{seeded.url}/#/experiments/{experiment_id or seeded.experiment_id}{query}")
    page.wait_for_selector(ROWS)


def _row_ids(page: Any) -> list[str]:
    ids: list[str] = page.locator(ROWS).evaluate_all("rows => rows.map(r => r.dataset.runId)")
    return ids


def _row(page: Any, seeded: Any, name: str) -> Any:
    return page.locator(f'{ROWS}[data-run-id="{seeded.run_id(name)}"]')


def _hash_query(page: Any) -> dict[str, list[str]]:
    fragment = urlparse(page.url).fragment
    return parse_qs(fragment.split("?", 1)[1] if "?" in fragment else "")


def test_count_filter_and_filter_error(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    expect(page.get_by_test_id("runs-count")).to_have_text("19 runs")
    expect(page.get_by_test_id("experiment-name")).to_have_text("ui-demo")
    # Nested runs start collapsed: 12 sweeps, tuning-parent, trained-model, long-series.
    expect(page.locator(ROWS)).to_have_count(15)

    box = page.get_by_test_id("filter-input")
    box.fill("metrics.f1 > 0.8")
    box.press("Enter")
    expect(page.get_by_test_id("runs-count")).to_have_text("5 runs")
    expected = {seeded.run_id(n) for n in ("sweep-09", "sweep-10", "sweep-11", "tuning-parent")}
    expect(page.locator(ROWS)).to_have_count(4)
    assert set(_row_ids(page)) == expected
    assert _hash_query(page)["filter"] == ["metrics.f1 > 0.8"]

    box.fill("metrics.f1 >> 0.8")
    box.press("Enter")
    error = page.get_by_test_id("filter-error")
    expect(error).to_be_visible()
    assert "^" in error.inner_text()
    assert ">>" in error.inner_text()
    page.get_by_test_id("filter-clear").click()
    expect(error).to_have_count(0)
    expect(page.locator(ROWS)).to_have_count(15)


def test_filter_autocomplete_quotes_and_completes(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    box = page.get_by_test_id("filter-input")
    box.click()
    box.type("metrics.f")
    suggestions = page.get_by_test_id("filter-suggestions")
    expect(suggestions).to_contain_text("metrics.f1")
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value("metrics.f1 ")
    expect(suggestions).to_have_count(0)
    box.type("> 0.88")
    box.press("Enter")
    expect(page.locator(ROWS)).to_have_count(2)
    box.fill("")
    box.type("tags.te")
    expect(suggestions).to_contain_text("tags.team")
    box.press("Escape")
    expect(suggestions).to_have_count(0)


def test_sort_by_metric_header(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    header = page.locator('[data-sort-key="metrics.f1"]')
    header.click()  # metrics sort best first
    names = ["tuning-parent", "sweep-11", "sweep-10", "sweep-09"]
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", seeded.run_id(names[0]))
    assert _row_ids(page)[:4] == [seeded.run_id(n) for n in names]
    assert _hash_query(page)["sort"] == ["metrics.f1"]
    header.click()
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", seeded.run_id("sweep-00"))
    assert _row_ids(page)[:3] == [seeded.run_id(f"sweep-0{i}") for i in range(3)]
    assert _hash_query(page)["dir"] == ["asc"]


def test_nested_runs_expand(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    parent = _row(page, seeded, "tuning-parent")
    expect(parent.locator(".child-count")).to_have_text("2")
    expect(_row(page, seeded, "child-0")).to_have_count(0)
    parent.get_by_test_id("expander").click()
    child = _row(page, seeded, "child-0")
    expect(child).to_be_visible()
    expect(_row(page, seeded, "child-1")).to_be_visible()
    expect(_row(page, seeded, "grandchild-0")).to_have_count(0)
    child.get_by_test_id("expander").click()
    expect(_row(page, seeded, "grandchild-0")).to_be_visible()
    expect(_row(page, seeded, "grandchild-1")).to_be_visible()
    ids = _row_ids(page)
    at = ids.index(seeded.run_id("tuning-parent"))
    assert set(ids[at + 1 : at + 5]) == {
        seeded.run_id(n) for n in ("child-0", "child-1", "grandchild-0", "grandchild-1")
    }
    page.get_by_test_id("collapse-all").click()
    expect(page.locator(ROWS)).to_have_count(15)
    page.get_by_test_id("expand-all").click()
    expect(page.locator(ROWS)).to_have_count(19)


def test_select_and_compare(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    compare = page.get_by_test_id("compare-button")
    expect(compare).to_be_disabled()
    _row(page, seeded, "sweep-01").locator('input[type="checkbox"]').check()
    # Keyboard: focus a row, Space selects it.
    row = _row(page, seeded, "sweep-02")
    row.focus()
    row.press("Space")
    expect(page.get_by_test_id("selection-count")).to_have_text("2 selected")
    expect(compare).to_be_enabled()
    compare.click()
    page.wait_for_url(re.compile(r".*#/compare-runs\?.*"))
    query = _hash_query(page)
    runs = query["runs"][0].split(",")
    assert sorted(runs) == sorted([seeded.run_id("sweep-01"), seeded.run_id("sweep-02")])
    assert query["experiments"] == [seeded.experiment_id]


def test_keyboard_enter_opens_run(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    first = page.locator(ROWS).first
    first.focus()
    first.press("ArrowDown")
    second_id = _row_ids(page)[1]
    expect(page.locator(f'{ROWS}[data-run-id="{second_id}"]')).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*#/experiments/{seeded.experiment_id}/runs/{second_id}$"))


def test_chosen_column_survives_reload(page: Any, seeded: Any) -> None:
    _open(page, seeded)
    team_header = page.locator('[data-sort-key="tags.team"]')
    expect(team_header).to_have_count(0)
    page.get_by_test_id("column-chooser").click()
    page.get_by_test_id("column-search").fill("team")
    panel = page.get_by_test_id("column-panel")
    panel.get_by_label("team", exact=True).check()
    expect(team_header).to_be_visible()
    expect(_row(page, seeded, "sweep-01")).to_contain_text("vision")
    page.keyboard.press("Escape")
    assert "tags.team" in _hash_query(page)["cols"][0]
    page.reload()
    page.wait_for_selector(ROWS)
    expect(team_header).to_be_visible()
    expect(_row(page, seeded, "sweep-00")).to_contain_text("nlp")


def _make_experiment(url: str, runs: int) -> tuple[str, list[str]]:
    api = f"{url}/api/2.0/mlflow"
    with httpx.Client(timeout=30) as client:
        name = f"runs-page-{uuid.uuid4().hex[:8]}"
        created = client.post(f"{api}/experiments/create", json={"name": name})
        created.raise_for_status()
        experiment_id = str(created.json()["experiment_id"])
        run_ids = []
        for index in range(runs):
            made = client.post(
                f"{api}/runs/create",
                json={"experiment_id": experiment_id, "run_name": f"victim-{index}",
                      "start_time": 1_700_000_000_000 + index * 1000},
            )  # fmt: skip
            made.raise_for_status()
            run_ids.append(str(made.json()["run"]["info"]["run_id"]))
    return experiment_id, run_ids


def test_delete_and_restore_runs(page: Any, seeded: Any) -> None:
    experiment_id, run_ids = _make_experiment(seeded.url, 3)
    _open(page, seeded, experiment_id)
    expect(page.locator(ROWS)).to_have_count(3)
    for run_id in run_ids[:2]:
        page.locator(f'{ROWS}[data-run-id="{run_id}"] input[type="checkbox"]').check()
    page.get_by_test_id("delete-button").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete 2 runs?")
    page.get_by_test_id("confirm-run-action").click()
    expect(dialog).to_have_count(0)
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page.get_by_test_id("runs-count")).to_have_text("1 run")
    assert _row_ids(page) == [run_ids[2]]

    page.get_by_test_id("view-select").select_option("deleted")
    expect(page.get_by_test_id("runs-count")).to_have_text("2 runs")
    expect(page.locator(ROWS)).to_have_count(2)
    page.get_by_test_id("select-all").check()
    page.get_by_test_id("restore-button").click()
    page.get_by_test_id("confirm-run-action").click()
    expect(page.locator(ROWS)).to_have_count(0)
    expect(page.get_by_text("No deleted runs")).to_be_visible()

    page.get_by_test_id("view-select").select_option("active")
    expect(page.locator(ROWS)).to_have_count(3)
    assert sorted(_row_ids(page)) == sorted(run_ids)


def test_empty_experiment_shows_snippet(page: Any, seeded: Any) -> None:
    page.goto(f"{seeded.url}/#/experiments/{seeded.ids['empty_experiment_id']}")
    empty = page.get_by_test_id("runs-empty")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("mlflow.start_run")
    expect(page.get_by_test_id("runs-count")).to_have_text("0 runs")


def test_unknown_experiment_shows_error(page: Any, seeded: Any) -> None:
    page.goto(f"{seeded.url}/#/experiments/987654")
    expect(page.get_by_role("alert")).to_contain_text("Not found")


def test_compare_experiments_route(page: Any, seeded: Any) -> None:
    ids = f"{seeded.experiment_id},{seeded.ids['empty_experiment_id']}"
    page.goto(f"{seeded.url}/#/compare-experiments?experiments={ids}")
    page.wait_for_selector(ROWS)
    expect(page.get_by_test_id("runs-count")).to_have_text("19 runs")
    expect(page.locator("th", has_text="Experiment")).to_be_visible()


def test_screenshots(page: Any, seeded: Any) -> None:
    _open(page, seeded, query="?cols=metrics.f1,metrics.loss,metrics.accuracy,params.lr,"
                              "params.optimizer,params.batch_size,tags.team")  # fmt: skip
    _row(page, seeded, "tuning-parent").get_by_test_id("expander").click()
    _row(page, seeded, "child-0").get_by_test_id("expander").click()
    _row(page, seeded, "sweep-10").locator('input[type="checkbox"]').check()
    _row(page, seeded, "sweep-11").locator('input[type="checkbox"]').check()
    page.get_by_test_id("filter-input").click()
    page.mouse.click(5, 5)
    screenshot(page, "runs-page", full_page=False)
    page.get_by_test_id("theme-toggle").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    screenshot(page, "runs-page-dark", full_page=False)
