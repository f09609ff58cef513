"""The UI shell loads from the server with its own assets only and switches themes."""

from __future__ import annotations

from typing import Any

from helpers.browser import screenshot


def test_shell_loads_and_switches_theme(page: Any, seeded: Any) -> None:
    page.goto(seeded.url + "/")
    page.wait_for_selector(".topbar")
    assert page.title() == "mltrail"
    assert page.locator(".topnav a").all_inner_texts() == ["Experiments", "Models"]
    page.get_by_test_id("theme-toggle").click()
    first = page.evaluate("document.documentElement.dataset.theme")
    page.get_by_test_id("theme-toggle").click()
    second = page.evaluate("document.documentElement.dataset.theme")
    assert {first, second} == {"light", "dark"}
    screenshot(page, "shell")
