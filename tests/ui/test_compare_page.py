"""Compare runs (route ``#/compare-runs?runs=...``): side-by-side params and metrics with
differences marked, overlaid metric charts, a scatter plot and parallel coordinates."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from helpers.browser import screenshot


def _compare(page: Any, seeded: Any, names: list[str], as_json: bool = False) -> None:
    ids = [seeded.run_id(n) for n in names]
    runs = quote(json.dumps(ids)) if as_json else ",".join(ids)
    page.goto(f"{seeded.url}/#/compare-runs?runs={runs}&experiments={seeded.experiment_id}")
    page.get_by_test_id("compare-params-table").wait_for()


def _row(page: Any, table: str, key: str) -> Any:
    return page.get_by_test_id(table).locator(f'tbody tr[data-key="{key}"]')


def test_compare_three_sweep_runs(page: Any, seeded: Any) -> None:
    names = ["sweep-00", "sweep-01", "sweep-02"]
    _compare(page, seeded, names)
    header = page.get_by_test_id("compare-runs-table")
    for name in names:
        link = header.get_by_role("link", name=name)
        assert link.get_attribute("href") == (
            f"#/experiments/{seeded.experiment_id}/runs/{seeded.run_id(name)}"
        )
    assert "ui-demo" in header.inner_text()
    assert "FINISHED" in header.inner_text()

    params = page.get_by_test_id("compare-params-table")
    keys = params.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys == ["batch_size", "lr", "optimizer"]
    assert _row(page, "compare-params-table", "lr").locator("td").all_inner_texts() == [
        "0.001", "0.003", "0.01",
    ]  # fmt: skip
    for key in keys:  # sweep-00/01/02 differ in every param
        assert "diff" in (_row(page, "compare-params-table", key).get_attribute("class") or "")

    metrics = page.get_by_test_id("compare-metrics-table")
    keys = metrics.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.key)")
    assert keys == ["accuracy", "f1", "loss"]
    f1 = _row(page, "compare-metrics-table", "f1").locator("td")
    assert [t.split(" ")[0] for t in f1.all_inner_texts()] == ["0.5", "0.535", "0.57"]
    assert "metric-min" in (f1.nth(0).get_attribute("class") or "")
    assert "metric-max" in (f1.nth(2).get_attribute("class") or "")

    charts = page.get_by_test_id("compare-charts")
    chart = charts.locator('[data-testid="metric-chart"][data-metric-key="loss"]')
    chart.scroll_into_view_if_needed()
    charts.locator('[data-metric-key="loss"][data-state="drawn"]').wait_for()
    keys = charts.get_by_test_id("metric-chart").evaluate_all(
        "charts => charts.map(c => c.dataset.metricKey)"
    )
    assert sorted(keys) == ["accuracy", "f1", "loss"]

    scatter = page.get_by_test_id("scatter-plot")
    scatter.get_by_test_id("scatter-x").select_option("param:lr")
    scatter.get_by_test_id("scatter-y").select_option("metric:f1")
    points = scatter.locator("circle.scatter-point")
    assert points.count() == 3
    assert "sx=param" in page.url and "sy=metric" in page.url
    page.locator(f'circle.scatter-point[data-run-id="{seeded.run_id("sweep-02")}"]').hover()
    tooltip = page.get_by_test_id("scatter-tooltip")
    tooltip.wait_for()
    assert "sweep-02" in tooltip.inner_text()
    assert "0.01" in tooltip.inner_text() and "0.57" in tooltip.inner_text()

    parallel = page.get_by_test_id("parallel-coordinates")
    assert parallel.locator("path.pc-line").count() == 3
    assert parallel.get_by_test_id("pc-axis").count() == 6  # 3 differing params + 3 metrics
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "compare-runs")


def test_brushing_parallel_coordinates(page: Any, seeded: Any) -> None:
    _compare(page, seeded, ["sweep-00", "sweep-01", "sweep-02"])
    parallel = page.get_by_test_id("parallel-coordinates")
    axes = parallel.get_by_test_id("pc-axis")
    labels = axes.locator(".cmp-axis-label").all_text_contents()
    hit = axes.nth(labels.index("metrics.f1")).locator(".pc-axis-hit")
    hit.scroll_into_view_if_needed()
    box = hit.bounding_box()
    assert box
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + 2)
    page.mouse.down()
    page.mouse.move(x, box["y"] + box["height"] * 0.2, steps=5)
    page.mouse.move(x, box["y"] + box["height"] * 0.3, steps=5)
    page.mouse.up()
    active = parallel.locator('path.pc-line[data-active="true"]')
    assert active.count() == 1
    assert active.get_attribute("data-run-id") == seeded.run_id("sweep-02")
    assert "1 of 3 runs" in parallel.get_by_test_id("pc-summary").inner_text()
    page.get_by_test_id("theme-toggle").click()
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "compare-runs-brushed-dark")
    parallel.get_by_role("button", name="Clear brushes").click()
    assert parallel.locator('path.pc-line[data-active="true"]').count() == 3

    # choosing the axes
    parallel.get_by_test_id("pc-dimensions").click()
    parallel.get_by_role("checkbox", name="accuracy").uncheck()
    assert axes.count() == 5
    assert "pc=" in page.url


def test_json_run_list_only_differences_and_scatter_click(page: Any, seeded: Any) -> None:
    _compare(page, seeded, ["sweep-00", "sweep-04"], as_json=True)
    lr = _row(page, "compare-params-table", "lr")
    assert "diff" not in (lr.get_attribute("class") or "")  # both 0.001
    assert "diff" in (_row(page, "compare-params-table", "optimizer").get_attribute("class") or "")
    page.get_by_test_id("only-diff-param").check()
    lr.wait_for(state="detached")
    assert _row(page, "compare-params-table", "batch_size").count() == 1
    assert "diff=1" in page.url

    scatter = page.get_by_test_id("scatter-plot")
    scatter.get_by_test_id("scatter-x").select_option("param:optimizer")
    scatter.get_by_test_id("scatter-y").select_option("metric:loss")
    assert scatter.locator("circle.scatter-point").count() == 2
    assert scatter.locator(".cmp-axis text", has_text="adam").count() == 1
    run_id = seeded.run_id("sweep-04")
    scatter.locator(f'circle.scatter-point[data-run-id="{run_id}"]').click()
    page.wait_for_url(f"**/#/experiments/{seeded.experiment_id}/runs/{run_id}")


def test_unknown_run_ids_are_reported(page: Any, seeded: Any) -> None:
    known = seeded.run_id("sweep-00")
    page.goto(f"{seeded.url}/#/compare-runs?runs={known},no-such-run")
    failures = page.get_by_test_id("compare-failures")
    failures.wait_for()
    assert "no-such-run" in failures.inner_text()
    assert page.get_by_test_id("compare-params-table").locator("thead th").count() == 2

    page.goto(f"{seeded.url}/#/compare-runs?runs=nope-1,nope-2")
    page.get_by_text("2 runs could not be loaded").wait_for()
    page.get_by_text("Nothing to compare").wait_for()


def test_no_runs_given(page: Any, seeded: Any) -> None:
    page.goto(f"{seeded.url}/#/compare-runs")
    page.get_by_text("No runs to compare").wait_for()
