"""One user's day in the UI, end to end, against a real server with seeded data.

Open an experiment from the list, filter and sort its runs, compare two runs, open a run and
its metric chart, preview artifacts, register the model, move the version to Production and
give it an alias. Every step is checked in the page and, for writes, through the REST API.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from helpers.browser import screenshot

ROWS = '[data-testid="run-row"]'


def _api(seeded: Any, path: str, **params: str) -> dict[str, Any]:
    response = httpx.get(f"{seeded.url}/api/2.0/mlflow/{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_day_in_the_ui(page: Any, seeded: Any) -> None:
    # The experiments list leads to the experiment.
    page.goto(seeded.url + "/")
    page.get_by_test_id("experiments-table").get_by_role("link", name="ui-demo").click()
    expect(page.get_by_test_id("experiment-name")).to_have_text("ui-demo")
    expect(page.get_by_test_id("runs-count")).to_have_text("19 runs")

    # Filter with the search grammar, then sort by f1, best first.
    page.get_by_test_id("filter-input").fill("metrics.f1 > 0.8 and params.optimizer = 'adam'")
    page.get_by_test_id("filter-input").press("Enter")
    expect(page.get_by_test_id("runs-count")).to_have_text("2 runs")
    page.get_by_test_id("filter-clear").click()
    expect(page.get_by_test_id("runs-count")).to_have_text("19 runs")
    header = page.locator('[data-sort-key="metrics.f1"]')
    header.click()
    best = seeded.run_id("tuning-parent")  # f1 0.9, a parent run (its children are folded)
    expect(page.locator(ROWS).first).to_have_attribute("data-run-id", best)
    assert "sort=" in page.url  # the view is in the URL

    # Compare two runs: params side by side, an overlaid chart drawn.
    for name in ("sweep-10", "sweep-11"):
        page.locator(f'{ROWS}[data-run-id="{seeded.run_id(name)}"] input[type="checkbox"]').check()
    page.get_by_test_id("compare-button").click()
    page.wait_for_url("**/compare-runs?**")
    expect(page.locator("tr", has_text="optimizer").first).to_be_visible()
    chart = page.get_by_test_id("metric-chart").first
    expect(chart).to_have_attribute("data-state", "drawn")
    screenshot(page, "journey-compare")

    # The model run: its metric chart, then its artifacts.
    run_id = seeded.ids["model_run_id"]
    page.goto(f"{seeded.url}/#/experiments/{seeded.experiment_id}/runs/{run_id}?tab=metrics")
    expect(page.get_by_test_id("metric-chart").first).to_have_attribute("data-state", "drawn")
    page.goto(f"{seeded.url}/#/experiments/{seeded.experiment_id}/runs/{run_id}?tab=artifacts")
    tree = page.get_by_role("tree", name="Artifacts")
    tree.locator('[data-tree-path="config.json"]').click()
    assert '"dropout": 0.1' in page.get_by_test_id("artifact-json").inner_text()
    tree.locator('[data-tree-path="model"]').click()
    tree.locator('[data-tree-path="model/MLmodel"]').click()
    expect(page.get_by_test_id("signature-inputs")).to_be_visible()

    # Register it as a new model and follow the link to the version.
    name = f"journey-{uuid.uuid4().hex[:8]}"
    page.get_by_test_id("register-model").click()
    page.get_by_test_id("register-mode-new").check()
    page.get_by_test_id("register-new-name").fill(name)
    page.get_by_test_id("register-submit").click()
    page.get_by_test_id("registered-version-link").click()
    page.wait_for_url(f"**/#/models/{name}/versions/1")
    expect(page.get_by_test_id("version-stage")).to_have_text("None")

    # Move it to Production and call it "champion".
    page.get_by_test_id("transition-stage").click()
    page.get_by_test_id("stage-option-production").check()
    page.get_by_test_id("confirm-transition").click()
    expect(page.get_by_test_id("version-stage")).to_have_text("Production")
    page.get_by_test_id("alias-input").fill("champion")
    page.get_by_test_id("add-alias").click()
    expect(page.get_by_test_id("alias-editor").get_by_test_id("alias-badge")).to_have_text(
        "@champion"
    )
    screenshot(page, "journey-version")

    version = _api(seeded, "model-versions/get", name=name, version="1")["model_version"]
    assert version["current_stage"] == "Production"
    assert version["run_id"] == run_id
    by_alias = _api(seeded, "registered-models/alias", name=name, alias="champion")
    assert by_alias["model_version"]["version"] == "1"
