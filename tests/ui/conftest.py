"""Fixtures of the end-to-end UI tests: a real server with seeded data and headless Chromium.

``seeded`` starts one ``mltrail server`` per test worker and fills it with
tests/ui/seed_data.py (through the REST API, as a user's script would). ``page`` is a fresh
browser page on that server; after each test it checks that the UI raised no uncaught error
and made no request outside 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers.browser import chromium, watch_page
from helpers.servers import ServerHandle, start_mltrail_server
from mltrail.server.web_ui import ui_directory

SEED_SCRIPT = Path(__file__).with_name("seed_data.py")


@dataclass
class Seeded:
    url: str
    ids: dict[str, Any]
    server: ServerHandle
    root: Path

    def run_id(self, name: str) -> str:
        return str(self.ids["runs"][name])

    @property
    def experiment_id(self) -> str:
        return str(self.ids["experiment_id"])


def seed(url: str, script: Path = SEED_SCRIPT, extra_env: dict[str, str] | None = None) -> Any:
    """Run a seeding script against ``url``; return the JSON of its last stdout line."""
    env = {**os.environ, "MLFLOW_TRACKING_URI": url, **(extra_env or {})}
    result = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=240,
        cwd=script.parent,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def built_ui() -> Path:
    directory = ui_directory()
    if not (directory / "index.html").is_file():
        pytest.fail(f"The web UI is not built ({directory}/index.html is missing): run ./dev setup")
    return directory


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory, built_ui: Path) -> Iterator[Seeded]:
    root = tmp_path_factory.mktemp("ui-server")
    server = start_mltrail_server(root)
    try:
        ids = seed(server.url)
        yield Seeded(url=server.url, ids=ids, server=server, root=root)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = watch_page(page)
    try:
        yield page
    finally:
        context.close()
    assert not watch.page_errors, f"uncaught errors in the page: {watch.page_errors}"
    assert not watch.external_requests, f"requests outside 127.0.0.1: {watch.external_requests}"
