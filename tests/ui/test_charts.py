"""Metric charts end to end: the full-page chart of one metric (#/metric?runs=..&key=..).

The seeded run "long-series" has 50,000 points of "signal" with one spike of 100.0 at step
31337: the server reduces it to about one bucket per pixel and the spike must survive. The
chart's root exposes data-state (loading/drawn/empty/error), data-y-max and data-zoomed.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

from helpers.browser import screenshot

CHART = '[data-testid="metric-chart"]'
DRAWN = f'{CHART}[data-state="drawn"]'
REDUCED = "/ajax-api/2.0/mltrail/metrics/history-reduced"


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _open_metric(page: Any, seeded: Any, runs: list[str], key: str, extra: str = "") -> None:
    ids = ",".join(seeded.run_id(name) for name in runs)
    page.goto(f"{seeded.url}/#/metric?runs={ids}&key={key}{extra}")
    page.wait_for_selector(DRAWN)


def _y_max(page: Any) -> float:
    return float(page.get_attribute(CHART, "data-y-max"))


def test_long_series_keeps_its_spike_and_shows_a_tooltip(page: Any, seeded: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if REDUCED in r.url else None)
    _open_metric(page, seeded, ["long-series"], "signal")
    assert _y_max(page) >= 100.0
    first = _query(requests[0])
    assert first["metric_key"] == "signal" and first["x_axis"] == "step"
    assert 100 <= int(first["buckets"]) <= 2000  # about the plot's pixel width
    assert "x_min" not in first
    notes = page.get_by_test_id("chart-notes").inner_text()
    assert "50,000 points drawn as" in notes
    legend = page.get_by_test_id("chart-legend-item")
    assert legend.all_inner_texts() == ["long-series"]
    summary = page.get_by_test_id("metric-summary").inner_text()
    assert "50,000" in summary and "100" in summary
    crumbs = page.locator(".crumbs").inner_text()
    assert "ui-demo" in crumbs and "long-series" in crumbs

    plot = page.get_by_test_id("chart-plot")
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] / 2)
    tooltip = page.get_by_test_id("chart-tooltip")
    tooltip.wait_for()
    assert "steps" in tooltip.inner_text()
    value = page.get_by_test_id("chart-tooltip-value").first.inner_text()
    assert "points" in value and "…" in value
    page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + 60)
    screenshot(page, "metric-chart")


def test_drag_zoom_fetches_the_window_and_resets(page: Any, seeded: Any) -> None:
    _open_metric(page, seeded, ["long-series"], "signal")
    plot = page.get_by_test_id("chart-plot")
    box = plot.bounding_box()
    y = box["y"] + box["height"] / 2
    # 31337 / 49999 of the x range is at about 62.7% of the plot width (plus the y labels).
    with page.expect_request(lambda r: REDUCED in r.url and "x_min=" in r.url) as info:
        page.mouse.move(box["x"] + box["width"] * 0.60, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.63, y + 10, steps=4)
        page.mouse.move(box["x"] + box["width"] * 0.66, y + 20, steps=4)
        page.mouse.up()
    query = _query(info.value.url)
    x_min, x_max = int(query["x_min"]), int(query["x_max"])
    assert 0 < x_min < 31337 < x_max < 49999
    page.wait_for_selector(f'{CHART}[data-zoomed="true"][data-state="drawn"]')
    assert _y_max(page) == 100.0  # the raw spike is in the window
    x_lo = float(page.get_attribute(CHART, "data-x-min"))
    x_hi = float(page.get_attribute(CHART, "data-x-max"))
    assert x_min <= x_lo + 1 and x_hi - 1 <= x_max
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.get_by_test_id("chart-tooltip").wait_for()
    assert "step" in page.get_by_test_id("chart-tooltip").inner_text()
    screenshot(page, "metric-chart-zoomed")
    page.get_by_test_id("reset-zoom").click()
    page.wait_for_selector(f'{CHART}[data-zoomed="false"][data-state="drawn"]')
    assert _y_max(page) >= 100.0
    assert page.get_by_test_id("reset-zoom").count() == 0


def test_log_scale_and_time_axes(page: Any, seeded: Any) -> None:
    _open_metric(page, seeded, ["long-series"], "signal")
    page.get_by_test_id("chart-log-y").check()
    page.wait_for_function("location.hash.includes('log=1')")
    page.wait_for_selector(DRAWN)
    assert _y_max(page) == 100.0
    assert "left out on the log scale" in page.get_by_test_id("chart-notes").inner_text()

    with page.expect_request(lambda r: REDUCED in r.url and "x_axis=timestamp" in r.url):
        page.get_by_test_id("chart-x-axis").select_option("time")
    page.wait_for_function("location.hash.includes('x=time')")
    page.wait_for_selector(DRAWN)
    assert "Wall time · 2023-11-1" in page.locator(".mc-caption").inner_text()
    x_lo = float(page.get_attribute(CHART, "data-x-min"))
    assert x_lo >= 1_700_000_000_000  # epoch milliseconds
    page.get_by_test_id("chart-x-axis").select_option("relative")
    page.wait_for_selector(DRAWN)
    assert "Time since run start" in page.locator(".mc-caption").inner_text()

    page.get_by_test_id("chart-smoothing").fill("0.9")
    page.wait_for_function("location.hash.includes('smooth=0.9')")
    page.reload()
    page.wait_for_selector(DRAWN)
    assert page.get_by_test_id("chart-log-y").is_checked()
    assert page.get_by_test_id("chart-x-axis").input_value() == "relative"
    assert page.get_by_test_id("chart-smoothing").input_value() == "0.9"


def test_two_runs_overlaid_with_a_legend(page: Any, seeded: Any) -> None:
    _open_metric(page, seeded, ["sweep-00", "sweep-01"], "loss")
    legend = page.get_by_test_id("chart-legend-item")
    assert legend.all_inner_texts() == ["sweep-00", "sweep-01"]
    both = _y_max(page)
    assert both == 2.05  # sweep-01 starts at 2.0 + 0.05
    legend.nth(1).click()
    assert legend.nth(1).get_attribute("aria-pressed") == "false"
    page.wait_for_function(f"document.querySelector('{CHART}').dataset.yMax === '2'")
    legend.nth(1).click()
    page.wait_for_function(f"document.querySelector('{CHART}').dataset.yMax === '2.05'")
    rows = page.get_by_test_id("metric-summary").locator("tbody tr")
    assert rows.count() == 2
    plot = page.get_by_test_id("chart-plot")
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    assert page.get_by_test_id("chart-tooltip-value").count() == 2
    screenshot(page, "metric-chart-runs")


def test_unknown_run_and_missing_metric(page: Any, seeded: Any) -> None:
    page.goto(f"{seeded.url}/#/metric?runs=0123456789abcdef0123456789abcdef&key=loss")
    page.wait_for_selector(f'{CHART}[data-state="error"]')
    assert "not found" in page.locator(CHART).inner_text().lower()
    sweep = seeded.run_id("sweep-00")
    page.goto(f"{seeded.url}/#/metric?runs={sweep}&key=no-such-metric")
    page.wait_for_selector(f'{CHART}[data-state="empty"]')
    assert "No data" in page.get_by_test_id("chart-empty").inner_text()


def test_charts_grid_fetches_only_visible_charts(page: Any, seeded: Any) -> None:
    """A run with many metrics: cards below the fold fetch only when scrolled into view."""
    api = f"{seeded.url}/api/2.0/mlflow"
    with httpx.Client(timeout=30) as client:
        experiment = client.post(f"{api}/experiments/create", json={"name": "charts-many-metrics"})
        experiment_id = experiment.json()["experiment_id"]
        run = client.post(f"{api}/runs/create", json={"experiment_id": experiment_id})
        run_id = run.json()["run"]["info"]["run_id"]
        now = int(time.time() * 1000)
        metrics = [
            {"key": f"m{k:03d}", "value": k + s / 10, "timestamp": now + s, "step": s}
            for k in range(60)
            for s in range(5)
        ]
        client.post(f"{api}/runs/log-batch", json={"run_id": run_id, "metrics": metrics})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if REDUCED in r.url else None)
    page.goto(f"{seeded.url}/#/experiments/{experiment_id}/runs/{run_id}?tab=metrics")
    page.wait_for_selector(DRAWN)
    page.wait_for_timeout(300)
    first = len(requests)
    assert 0 < first < 30, f"{first} charts fetched before scrolling"
    last = page.locator(f'{CHART}[data-metric-key="m059"]')
    assert last.get_attribute("data-state") == "loading"
    last.scroll_into_view_if_needed()
    page.wait_for_selector(f'{CHART}[data-metric-key="m059"][data-state="drawn"]')
    assert len(requests) > first
    assert float(last.get_attribute("data-y-max")) == 59.4


def test_non_finite_values_are_marked_and_resizing_refetches(page: Any, seeded: Any) -> None:
    api = f"{seeded.url}/api/2.0/mlflow"
    with httpx.Client(timeout=30) as client:
        experiment = client.post(f"{api}/experiments/create", json={"name": "charts-non-finite"})
        experiment_id = experiment.json()["experiment_id"]
        run = client.post(f"{api}/runs/create", json={"experiment_id": experiment_id})
        run_id = run.json()["run"]["info"]["run_id"]
        values = ["NaN", "Infinity", "-Infinity", "1.5", "2.5", "0.5"]
        points = ", ".join(
            f'{{"key": "odd", "value": {v}, "timestamp": {1000 + i}, "step": {i}}}'
            for i, v in enumerate(values)
        )
        body = f'{{"run_id": "{run_id}", "metrics": [{points}]}}'
        headers = {"Content-Type": "application/json"}
        client.post(f"{api}/runs/log-batch", content=body, headers=headers).raise_for_status()
    page.goto(f"{seeded.url}/#/metric?runs={run_id}&key=odd")
    page.wait_for_selector(DRAWN)
    assert _y_max(page) == 2.5
    notes = page.get_by_test_id("chart-notes").inner_text()
    assert "1 NaN" in notes and "1 +Infinity" in notes and "1 -Infinity" in notes
    plot = page.get_by_test_id("chart-plot")
    box = plot.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] / 2)
    page.get_by_test_id("chart-tooltip").wait_for()
    assert "Infinity" in page.get_by_test_id("chart-tooltip").inner_text()  # step 2

    with page.expect_request(lambda r: REDUCED in r.url) as info:
        page.set_viewport_size({"width": 800, "height": 900})
    narrower = int(_query(info.value.url)["buckets"])
    assert narrower < 800
    page.wait_for_selector(DRAWN)
