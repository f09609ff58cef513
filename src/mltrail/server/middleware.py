"""ASGI middleware: Host allow-list, cross-origin write guard, request metrics.

* Host check: a request whose ``Host`` header is not in the allow-list is refused with 403
  (DNS-rebinding defence: a web page on ``evil.example`` that resolves to 127.0.0.1 cannot
  talk to the server from the victim's browser). Entries are host names or addresses without
  port; ``*`` allows everything, ``*.example.com`` allows sub-domains.
* Origin check: a browser request that changes state (not GET/HEAD/OPTIONS) from another
  origin is refused with 403 unless that origin is in ``--cors-allowed-origins``.
* Metrics: counts and latencies per route template (never per raw path, so unknown paths
  cannot blow up the number of series).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mltrail.exceptions import PERMISSION_DENIED
from mltrail.server.prometheus import RequestMetrics
from mltrail.server.responses import error_response

ROUTE_SCOPE_KEY = "mltrail.route"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def host_without_port(host: str) -> str:
    """``example.com:5000`` -> ``example.com``; ``[::1]:5000`` -> ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def host_allowed(host: str, allow_list: Sequence[str]) -> bool:
    name = host_without_port(host)
    for entry in allow_list:
        pattern = host_without_port(entry) if entry != "*" else "*"
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class HostCheckMiddleware:
    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _header(scope, b"host") or ""
            if not host_allowed(host, self.allowed_hosts):
                response = error_response(
                    PERMISSION_DENIED,
                    f"Host header {host[:100]!r} is not allowed. Start the server with "
                    "--allowed-hosts listing the names clients use to reach it.",
                    403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class OriginCheckMiddleware:
    """Refuse cross-origin state-changing browser requests from origins not allowed by CORS."""

    def __init__(self, app: ASGIApp, allowed_origins: Sequence[str]) -> None:
        self.app = app
        self.allowed_origins = frozenset(o.rstrip("/").lower() for o in allowed_origins)

    def _allowed(self, scope: Scope, origin: str) -> bool:
        if "*" in self.allowed_origins or origin.rstrip("/").lower() in self.allowed_origins:
            return True
        origin_host = urlsplit(origin).netloc.lower()
        return bool(origin_host) and origin_host == (_header(scope, b"host") or "").lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            origin = _header(scope, b"origin")
            if origin is not None and not self._allowed(scope, origin):
                response = error_response(
                    PERMISSION_DENIED,
                    f"Cross-origin request from {origin[:100]!r} refused. Allow the origin with "
                    "--cors-allowed-origins.",
                    403,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            route = scope.get(ROUTE_SCOPE_KEY) or _route_path(scope)
            self.metrics.observe(route, scope["method"], status, time.perf_counter() - started)


def _route_path(scope: Scope) -> str:
    """The template of the matched route (Starlette sets ``scope['route']``), else a bucket."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return scope.get("root_path", "") + path
    return "unmatched"
