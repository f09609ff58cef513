"""Request handlers, one module per concern. Each handler takes the server context and the
parsed request (a dict of typed values) and returns the response body as a JSON dict."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mltrail.server.context import ServerContext

Handler = Callable[[ServerContext, dict[str, Any]], dict[str, Any]]


def all_handlers() -> dict[str, Handler]:
    """Endpoint name -> handler, for every endpoint the server implements."""
    from mltrail.server.handlers import (
        artifact_listing,
        experiments,
        logged_models,
        metric_history,
        registry,
        runs,
        ui_columns,
        ui_history,
        ui_runs_table,
    )

    table: dict[str, Handler] = {}
    for module in (experiments, runs, metric_history, logged_models, artifact_listing, registry):
        table.update(module.HANDLERS)
    for module in (ui_runs_table, ui_columns, ui_history):  # the web UI's own endpoints
        table.update(module.HANDLERS)
    return table
