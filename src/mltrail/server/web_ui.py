"""The web UI: the built single-page app (``ui/`` compiled by Vite) served at ``/``.

The files live in the package (``mltrail/server/ui_static``, written by ``./dev setup`` and by
the package build); ``MLTRAIL_UI_DIR`` points the server at another build (UI development).
``index.html`` is never cached (it names the current asset files); the hashed files under
``assets/`` are cached for a year. Every response carries a strict Content-Security-Policy:
the UI loads scripts, styles, fonts and data from this server only.
"""

from __future__ import annotations

import html
import mimetypes
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from mltrail.server.responses import error_response

UI_DIR_ENV = "MLTRAIL_UI_DIR"
_PACKAGED_DIR = Path(__file__).resolve().parent / "ui_static"
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
UI_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_NOT_BUILT_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_IMMUTABLE = "public, max-age=31536000, immutable"
_TOP_LEVEL_FILES = ("favicon.svg",)


def ui_directory() -> Path:
    """Where the built UI is (it may not exist: then ``/`` explains how to build it)."""
    override = os.environ.get(UI_DIR_ENV)
    return Path(override).resolve() if override else _PACKAGED_DIR


def _not_built_page(directory: Path, prefix: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>mltrail</title></head>"
        "<body style='font-family:sans-serif;max-width:720px;margin:40px auto'>"
        "<h1>mltrail tracking server</h1><p>The server is running, but the web UI is not "
        f"built: <code>{html.escape(str(directory / 'index.html'))}</code> is missing. Run "
        "<code>./dev setup</code> in the source tree (it needs Node.js 20+ and npm) or "
        "install mltrail from a wheel, which contains the UI. The REST API works meanwhile; "
        f"its documentation is at <a href='{html.escape(prefix)}/docs'>/docs</a>.</p>"
        "</body></html>"
    )


def _file_inside(directory: Path, relative: str) -> Path | None:
    """``directory/relative`` if it is a regular file inside ``directory``, else None."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    candidate = (directory / relative).resolve()
    if not candidate.is_relative_to(directory) or not candidate.is_file():
        return None
    return candidate


def web_ui_routes(prefix: str = "") -> list[BaseRoute]:
    async def index(request: Request) -> Response:
        if not request.url.path.endswith("/"):  # "/prefix": relative asset URLs need the slash
            return RedirectResponse(request.url.path + "/", status_code=308)
        directory = ui_directory()
        page = directory / "index.html"
        if not page.is_file():
            return HTMLResponse(
                _not_built_page(directory, prefix),
                headers={**UI_HEADERS, "Content-Security-Policy": _NOT_BUILT_CSP},
            )
        return FileResponse(
            page, media_type="text/html; charset=utf-8",
            headers={**UI_HEADERS, "Cache-Control": "no-cache"},
        )  # fmt: skip

    async def asset(request: Request) -> Response:
        directory = ui_directory()
        relative = request.path_params.get("path", "")
        found = _file_inside(directory / "assets", relative)
        if found is None:
            return error_response("ENDPOINT_NOT_FOUND", "No such UI file.", 404)
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return FileResponse(
            found, media_type=media_type, headers={**UI_HEADERS, "Cache-Control": _IMMUTABLE}
        )

    def top_level(name: str) -> Route:
        async def serve(_: Request) -> Response:
            found = _file_inside(ui_directory(), name)
            if found is None:
                return error_response("ENDPOINT_NOT_FOUND", "No such UI file.", 404)
            media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return FileResponse(found, media_type=media_type, headers=UI_HEADERS)

        return Route(f"/{name}", serve, methods=["GET"])

    return [
        Route("/", index, methods=["GET"]),
        Route("/assets/{path:path}", asset, methods=["GET"]),
        *(top_level(name) for name in _TOP_LEVEL_FILES),
    ]
