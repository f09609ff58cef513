"""Headless Chromium for the UI tests and benchmarks, driven by Playwright.

The system Chromium (/usr/bin/chromium, Debian's package; ``./dev setup`` installs it) is
launched with the flags that keep it off the network; Playwright never downloads a browser.
Every page blocks requests that leave 127.0.0.1 and records them, so a test can assert that
the UI makes no external requests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
SCREENSHOT_DIR = Path(__file__).resolve().parents[1] / "ui" / "screenshots"


def chromium_path() -> str:
    """The Chromium executable; fail with the fix when it is missing."""
    path = os.environ.get("MLTRAIL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError(
            "Chromium is not installed. Run `./dev setup` as root (it runs "
            "`apt-get install -y chromium chromium-driver`), or set MLTRAIL_CHROMIUM to a "
            "Chromium/Chrome binary."
        )
    return path


@dataclass
class PageWatch:
    """What a page did that a test should know about."""

    external_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def watch_page(page: Any) -> PageWatch:
    """Block and record non-loopback requests; record uncaught errors and console errors."""
    watch = PageWatch()

    def route(route: Any) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or parsed.hostname in LOOPBACK_HOSTS:
            route.continue_()
        else:
            watch.external_requests.append(url)
            route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

    def console(message: Any) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    page.on("console", console)
    return watch


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (a Playwright Browser), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` as tests/ui/screenshots/<name>.png and return its path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 1000, f"screenshot {path} looks empty"
    return path
