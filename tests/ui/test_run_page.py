"""The run page: overview facts and tables, tags, metric charts, the artifact browser with its
previews, registering a model, parent/child links.

Tests that change data work on an experiment and run they create themselves over REST (plus
one model version registered from the seeded model, under a random new model name).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from helpers.browser import screenshot

SKLEARN_MLMODEL = """\
flavors:
  python_function:
    loader_module: mlflow.sklearn
    model_path: model.pkl
    python_version: 3.11.7
  sklearn:
    pickled_model: model.pkl
    sklearn_version: 1.9.1
model_size_bytes: 1452
utc_time_created: '2026-01-02 03:04:05.000000'
signature:
  inputs: '[{"type": "double", "name": "width", "required": true}, {"type": "string",
    "name": "kind", "required": false}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
"""
QUOTED_CSV = 'name,comment\n"Smith, J.","said ""hi""\nthen left"\nDoe,plain\n'


def run_url(seeded: Any, run_id: str, query: str = "", experiment_id: str | None = None) -> str:
    experiment = experiment_id or seeded.experiment_id
    return f"{seeded.url}/#/experiments/{experiment}/runs/{run_id}{query}"


def rest_run(seeded: Any, run_id: str) -> dict[str, Any]:
    response = httpx.get(f"{seeded.url}/api/2.0/mlflow/runs/get", params={"run_id": run_id})
    assert response.status_code == 200, response.text
    return dict(response.json()["run"])


def rest_version(seeded: Any, name: str, version: str) -> dict[str, Any]:
    response = httpx.get(
        f"{seeded.url}/ajax-api/2.0/mlflow/model-versions/get",
        params={"name": name, "version": version},
    )
    assert response.status_code == 200, response.text
    return dict(response.json()["model_version"])


@pytest.fixture(scope="module")
def own_run(seeded: Any) -> dict[str, str]:
    """An experiment and run of this module, with a tag and a few uploaded artifacts."""
    api = f"{seeded.url}/api/2.0/mlflow"
    with httpx.Client(timeout=30) as client:
        name = f"run-page-{uuid.uuid4().hex[:8]}"
        experiment_id = client.post(f"{api}/experiments/create", json={"name": name}).json()[
            "experiment_id"
        ]
        run = client.post(
            f"{api}/runs/create",
            json={"experiment_id": experiment_id, "run_name": "editable", "start_time": 1},
        ).json()["run"]
        run_id = run["info"]["run_id"]
        tag = {"run_id": run_id, "key": "stage", "value": "draft"}
        client.post(f"{api}/runs/set-tag", json=tag)
        root = run["info"]["artifact_uri"].removeprefix("mlflow-artifacts:")
        upload = f"{seeded.url}/api/2.0/mlflow-artifacts/artifacts/{root.strip('/')}"
        files = {
            "my_model/MLmodel": SKLEARN_MLMODEL.encode(),
            "my_model/model.pkl": b"\x80\x04binary",
            "tables/quoted.csv": QUOTED_CSV.encode(),
            "logs/big.log": b"0123456789abcdef\n" * 160_000,  # 2.7 MB: the preview is cut
        }
        for path, content in files.items():
            response = client.put(f"{upload}/{path}", content=content)
            assert response.status_code == 200, response.text
    return {"experiment_id": experiment_id, "run_id": run_id}


def test_overview_shows_facts_tables_and_description(page: Any, seeded: Any) -> None:
    run_id = seeded.run_id("trained-model")
    page.goto(run_url(seeded, run_id))
    params = page.get_by_test_id("run-params")
    params.get_by_text("max_iter").wait_for()
    expect(params.locator("tbody tr")).to_have_count(2)
    assert "C" in params.locator("td").all_inner_texts()
    assert "200" in params.locator("td").all_inner_texts()
    metric = page.get_by_test_id("run-metrics").get_by_role("link", name="accuracy")
    assert metric.get_attribute("href") == f"#/metric?runs={run_id}&key=accuracy"
    assert "0.973" in page.get_by_test_id("run-metrics").inner_text()
    heading = page.get_by_test_id("run-description").locator("h3")
    assert heading.inner_text() == "Iris model"
    assert page.get_by_test_id("run-description").locator("strong").inner_text() == (
        "logistic regression"
    )
    assert page.get_by_test_id("run-user").inner_text() == "root"
    assert page.get_by_test_id("run-id").inner_text() == run_id
    assert page.get_by_test_id("run-name").inner_text() == "trained-model"
    commit = page.get_by_test_id("git-commit")
    assert len(commit.inner_text()) == 8 and len(commit.get_attribute("title") or "") == 40
    crumbs = page.locator(".crumbs a").all_inner_texts()
    assert crumbs == ["Experiments", "ui-demo"]
    assert "model" in page.get_by_test_id("logged-models").inner_text()
    page.get_by_test_id("system-tags").locator("summary").click()
    assert "mlflow.source.name" in page.get_by_test_id("system-tags").inner_text()
    screenshot(page, "run-overview")


def test_edit_tag_rename_and_delete_own_run(
    page: Any, seeded: Any, own_run: dict[str, str]
) -> None:
    run_id = own_run["run_id"]
    page.goto(run_url(seeded, run_id, experiment_id=own_run["experiment_id"]))
    tags = page.get_by_test_id("run-tags")
    row = tags.locator("tr", has_text="stage")
    row.get_by_role("button", name="Edit").click()
    value = tags.get_by_label("Tag value")
    value.fill("reviewed")
    tags.get_by_role("button", name="Save tag").click()
    tags.locator("td", has_text="reviewed").wait_for()
    tags.get_by_label("Tag key").fill("owner")
    tags.get_by_label("Tag value").fill("ui-test")
    tags.get_by_role("button", name="Save tag").click()
    tags.locator("td", has_text="ui-test").wait_for()
    run = rest_run(seeded, run_id)
    values = {t["key"]: t["value"] for t in run["data"]["tags"]}
    assert values["stage"] == "reviewed" and values["owner"] == "ui-test"

    page.get_by_test_id("rename-run").click()
    page.get_by_test_id("rename-input").fill("renamed-in-ui")
    page.get_by_test_id("rename-input").press("Enter")
    page.get_by_test_id("run-name").filter(has_text="renamed-in-ui").wait_for()
    assert rest_run(seeded, run_id)["info"]["run_name"] == "renamed-in-ui"

    page.get_by_test_id("delete-run").click()
    page.get_by_test_id("confirm-delete-run").click()
    page.get_by_test_id("run-deleted").wait_for()
    assert rest_run(seeded, run_id)["info"]["lifecycle_stage"] == "deleted"
    page.get_by_test_id("restore-run").click()
    page.get_by_test_id("delete-run").wait_for()
    assert rest_run(seeded, run_id)["info"]["lifecycle_stage"] == "active"


def test_metrics_tab_draws_a_chart_per_metric(page: Any, seeded: Any) -> None:
    page.goto(run_url(seeded, seeded.run_id("sweep-00"), "?tab=metrics"))
    page.get_by_test_id("run-metrics-tab").wait_for()
    charts = page.get_by_test_id("metric-chart")
    expect(charts).to_have_count(3)
    for index, key in enumerate(["accuracy", "f1", "loss"]):
        expect(charts.nth(index)).to_have_attribute("data-metric-key", key)
        expect(charts.nth(index)).to_have_attribute("data-state", "drawn")
    assert page.get_by_role("tab", name="Metrics (3)").get_attribute("aria-selected") == "true"
    screenshot(page, "run-metrics")


def test_artifact_previews(page: Any, seeded: Any) -> None:
    run_id = seeded.run_id("trained-model")
    page.goto(run_url(seeded, run_id, "?tab=artifacts"))
    tree = page.get_by_role("tree", name="Artifacts")
    tree.locator('[data-tree-path="notes.txt"]').click()
    assert page.get_by_test_id("artifact-text").inner_text().startswith("hello from mltrail")
    assert "path=notes.txt" in page.url
    download = page.get_by_test_id("artifact-download")
    assert download.get_attribute("href") == f"get-artifact?run_id={run_id}&path=notes.txt"

    tree.locator('[data-tree-path="config.json"]').click()
    pretty = page.get_by_test_id("artifact-json").inner_text()
    assert pretty.startswith('{\n  "layers": [\n    64,')

    tree.locator('[data-tree-path="params.yaml"]').click()
    assert "optimizer" in page.get_by_test_id("artifact-yaml").inner_text()

    tree.locator('[data-tree-path="data"]').click()
    tree.locator('[data-tree-path="data/sample.csv"]').click()
    table = page.get_by_test_id("csv-table")
    expect(table.locator("thead th")).to_have_text(["#", "sepal_length", "sepal_width", "label"])
    expect(table.locator("tbody tr")).to_have_count(2)
    assert "virginica" in table.inner_text()
    screenshot(page, "run-artifacts-csv")

    tree.locator('[data-tree-path="plots"]').click()
    tree.locator('[data-tree-path="plots/curve.png"]').click()
    image = page.get_by_test_id("artifact-image")
    expect(page.locator(".image-preview")).to_have_attribute("data-state", "loaded")
    assert image.evaluate("img => img.naturalWidth") > 0

    tree.locator('[data-tree-path="model"]').click()
    tree.locator('[data-tree-path="model/MLmodel"]').click()
    flavors = page.get_by_test_id("mlmodel-flavors").inner_text()
    assert "python_function" in flavors and "sklearn" in flavors
    inputs = page.get_by_test_id("signature-inputs")
    expect(inputs.locator("tbody tr")).to_have_count(4)
    assert "sepal length (cm)" in inputs.locator("td").all_inner_texts()
    assert page.get_by_test_id("register-model").is_visible()
    screenshot(page, "run-artifacts-mlmodel")

    tree.locator('[data-tree-path="model/model.pkl"]').click()
    page.get_by_test_id("artifact-no-preview").wait_for()


def test_artifact_link_opens_path_and_tree_keys(page: Any, seeded: Any) -> None:
    page.goto(run_url(seeded, seeded.run_id("trained-model"), "?tab=artifacts&path=model/MLmodel"))
    page.get_by_test_id("signature-inputs").wait_for()
    selected = page.locator('[data-tree-path="model/MLmodel"]')
    assert selected.get_attribute("aria-selected") == "true"
    selected.focus()
    page.keyboard.press("ArrowLeft")  # to the parent folder
    expect(page.locator('[data-tree-path="model"]')).to_be_focused()
    page.keyboard.press("ArrowLeft")  # collapse it
    expect(page.locator('[data-tree-path="model/MLmodel"]')).to_have_count(0)
    page.keyboard.press("ArrowRight")  # expand again
    page.locator('[data-tree-path="model/MLmodel"]').wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_test_id("artifact-yaml").wait_for()  # conda.yaml
    assert "path=model%2Fconda.yaml" in page.url or "path=model/conda.yaml" in page.url


def test_own_artifacts_quoted_csv_truncated_log_and_missing(
    page: Any, seeded: Any, own_run: dict[str, str]
) -> None:
    base = run_url(seeded, own_run["run_id"], experiment_id=own_run["experiment_id"])
    page.goto(base + "?tab=artifacts&path=tables/quoted.csv")
    table = page.get_by_test_id("csv-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(
        ["1", "Smith, J.", 'said "hi"\nthen left']
    )
    page.goto(base + "?tab=artifacts&path=logs/big.log")
    note = page.get_by_test_id("preview-truncated")
    assert "first 2.0 MiB" in note.inner_text()
    page.goto(base + "?tab=artifacts&path=nope/missing.txt")
    page.get_by_text("There is no artifact at").wait_for()


def test_register_model_versions(page: Any, seeded: Any, own_run: dict[str, str]) -> None:
    name = f"ui-registered-{uuid.uuid4().hex[:8]}"
    base = run_url(seeded, own_run["run_id"], experiment_id=own_run["experiment_id"])
    # A new model from a model directory among the run's artifacts (runs:/ source).
    page.goto(base + "?tab=artifacts&path=my_model/model.pkl")
    page.get_by_test_id("register-model").click()
    page.get_by_test_id("register-mode-new").check()
    page.get_by_test_id("register-new-name").fill(name)
    page.get_by_test_id("register-submit").click()
    link = page.get_by_test_id("registered-version-link")
    assert link.get_attribute("href") == f"#/models/{name}/versions/1"
    version = rest_version(seeded, name, "1")
    assert version["source"] == f"runs:/{own_run['run_id']}/my_model"
    assert version["run_id"] == own_run["run_id"]
    page.keyboard.press("Escape")

    # A second version of that model from the seeded run's logged model (search + pick).
    page.goto(run_url(seeded, seeded.run_id("trained-model"), "?tab=artifacts&path=model"))
    page.get_by_test_id("register-model").click()
    page.get_by_test_id("register-search").fill(name[:-2])
    page.get_by_role("radio", name=re.compile(re.escape(name))).check()
    page.get_by_test_id("register-submit").click()
    link = page.get_by_test_id("registered-version-link")
    assert link.get_attribute("href") == f"#/models/{name}/versions/2"
    assert rest_version(seeded, name, "2")["source"].startswith("models:/m-")


def test_parent_and_children_links(page: Any, seeded: Any) -> None:
    page.goto(run_url(seeded, seeded.run_id("tuning-parent")))
    children = page.get_by_test_id("child-runs")
    expect(children.get_by_role("link")).to_have_text(["child-0", "child-1"])
    children.get_by_role("link", name="child-0").click()
    page.get_by_test_id("run-name").filter(has_text="child-0").wait_for()
    parent = page.get_by_test_id("parent-run").get_by_role("link", name="tuning-parent")
    assert parent.get_attribute("href") == (
        f"#/experiments/{seeded.experiment_id}/runs/{seeded.run_id('tuning-parent')}"
    )
    grandchildren = page.get_by_test_id("child-runs").get_by_role("link")
    expect(grandchildren).to_have_text(["grandchild-0", "grandchild-1"])


def test_missing_run_says_not_found(page: Any, seeded: Any) -> None:
    page.goto(run_url(seeded, "0" * 32))
    page.get_by_text("Run not found").wait_for()
