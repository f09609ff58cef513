"""An ASGI app serving only the artifact proxy routes, for tests.

``proxy_app_for(destination)`` builds it in-process; ``create_app()`` is a uvicorn factory
(``uvicorn artifact_proxy_app:create_app --factory``) that reads the destination from
``MLTRAIL_TEST_ARTIFACTS_DESTINATION``, for tests that need the proxy in its own process.
"""

from __future__ import annotations

import os
import threading
import time
import warnings
from typing import Any

from helpers.servers import free_port


def proxy_app_for(destination: str) -> Any:
    from starlette.applications import Starlette

    from mltrail.server.artifacts import artifact_routes

    return Starlette(routes=artifact_routes(destination))


def create_app() -> Any:
    return proxy_app_for(os.environ["MLTRAIL_TEST_ARTIFACTS_DESTINATION"])


def make_test_client(app: Any) -> Any:
    """Starlette's TestClient (without its note about httpx vs. httpx2)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(app, raise_server_exceptions=False)


class ThreadedUvicorn:
    """uvicorn serving an ASGI app on 127.0.0.1 in a background thread of this process."""

    def __init__(self, app: object) -> None:
        import uvicorn

        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedUvicorn:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
