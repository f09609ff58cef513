"""The built web UI as ``mltrail server`` serves it (``mltrail.server.web_ui``): the page and
its hashed assets from ``MLTRAIL_UI_DIR``, caching and security headers, refused path escapes,
the "not built" page, and the ``--static-prefix`` redirect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mltrail.server.web_ui import UI_DIR_ENV

INDEX = '<!doctype html><html><body><div id="root"></div><script src="./assets/app-1a2b.js">'


@pytest.fixture
def ui_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small built UI: index.html, favicon.svg, assets/ (and a secret beside it)."""
    build = tmp_path / "ui-build"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text(INDEX + "</script></body></html>")
    (build / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (build / "assets" / "app-1a2b.js").write_text("console.log('ui')")
    (build / "assets" / "app-1a2b.css").write_text("body{}")
    (tmp_path / "secret.txt").write_text("top secret")
    (build / "assets" / "link.js").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setenv(UI_DIR_ENV, str(build))
    return build


def test_index_page_headers(make_client: Callable[..., Any], ui_dir: Path):
    response = make_client().get("/")
    assert response.status_code == 200 and 'id="root"' in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_assets_are_cached_forever(make_client: Callable[..., Any], ui_dir: Path):
    client = make_client()
    script = client.get("/assets/app-1a2b.js")
    assert script.status_code == 200 and script.text == "console.log('ui')"
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "javascript" in script.headers["content-type"]
    assert "script-src 'self'" in script.headers["content-security-policy"]
    style = client.get("/assets/app-1a2b.css")
    assert style.headers["content-type"].startswith("text/css")
    icon = client.get("/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


@pytest.mark.parametrize(
    "path",
    [
        "/assets/..%2Findex.html",
        "/assets/..%2F..%2Fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/assets/link.js",  # a symlink out of the directory
        "/assets/missing.js",
        "/assets/",
        "/assets/..%5C..%5Csecret.txt",
    ],
)
def test_asset_paths_cannot_escape(make_client: Callable[..., Any], ui_dir: Path, path: str):
    response = make_client().get(path)
    assert response.status_code == 404
    assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    assert "top secret" not in response.text and "index" not in response.text


def test_not_built_page(make_client: Callable[..., Any], tmp_path: Path, monkeypatch: Any):
    empty = tmp_path / "empty-ui"
    empty.mkdir()
    monkeypatch.setenv(UI_DIR_ENV, str(empty))
    client = make_client(static_prefix="/pre")
    response = client.get("/pre/")
    assert response.status_code == 200
    assert "not built" in response.text and "./dev setup" in response.text
    assert "href='/pre/docs'" in response.text
    assert response.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert client.get("/pre/assets/app.js").status_code == 404


def test_static_prefix_redirects_and_serves(make_client: Callable[..., Any], ui_dir: Path):
    client = make_client(static_prefix="/pre")
    redirect = client.get("/pre", follow_redirects=False)
    assert redirect.status_code == 308 and redirect.headers["location"].endswith("/pre/")
    page = client.get("/pre/")
    assert page.status_code == 200 and 'id="root"' in page.text
    assert client.get("/pre/assets/app-1a2b.js").status_code == 200
    assert client.get("/assets/app-1a2b.js").status_code == 404
    assert client.get("/").status_code == 404


def test_real_server_under_a_static_prefix(tmp_path: Path, ui_dir: Path):
    import httpx

    from helpers.servers import start_mltrail_server

    with (
        start_mltrail_server(tmp_path, "--static-prefix", "/x", static_prefix="/x") as server,
        httpx.Client(base_url=server.url) as http,
    ):
        redirect = http.get("/x", follow_redirects=False)
        assert redirect.status_code == 308 and redirect.headers["location"] == "/x/"
        page = http.get("/x/")
        assert page.status_code == 200 and 'id="root"' in page.text
        assert page.headers["cache-control"] == "no-cache"
        asset = http.get("/x/assets/app-1a2b.js")
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        table = http.post("/x/ajax-api/2.0/mltrail/runs/table", json={"experiment_ids": ["0"]})
        assert table.status_code == 200 and table.json() == {"runs": [], "total_count": 0}
