"""``mltrail server`` (and ``mltrail ui``): run the tracking server on uvicorn."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import click

from mltrail.exceptions import MlflowException

APP_FACTORY = "mltrail.server.app:app_from_environment"


def _options(function: Any) -> Any:
    options = [
        click.option("--host", default="127.0.0.1", show_default=True,
                     help="Address to listen on (0.0.0.0 for every interface)."),
        click.option("--port", "-p", default=5000, show_default=True, type=int,
                     help="Port to listen on."),
        click.option("--workers", "-w", default=1, show_default=True, type=int,
                     help="Worker processes (use a server database such as PostgreSQL)."),
        click.option("--backend-store-uri", default=None, metavar="URI",
                     help="Tracking database. Default: sqlite:///mlflow.db"),
        click.option("--registry-store-uri", default=None, metavar="URI",
                     help="Model registry database. Default: the backend store."),
        click.option("--default-artifact-root", default=None, metavar="URI",
                     help="Artifact root of new experiments. Default: mlflow-artifacts:/ "
                          "when serving artifacts, else ./mlruns."),
        click.option("--serve-artifacts/--no-serve-artifacts", default=True, show_default=True,
                     help="Proxy artifact uploads and downloads (mlflow-artifacts:/ URIs)."),
        click.option("--artifacts-destination", default=None, metavar="URI",
                     help="Where proxied artifacts are stored. Default: ./mlartifacts"),
        click.option("--artifacts-only", is_flag=True, default=False,
                     help="Serve only the artifact proxy (no tracking API)."),
        click.option("--allowed-hosts", default=None, metavar="HOSTS",
                     help="Comma-separated Host header values to accept (e.g. "
                          "'mlflow.example.com,10.0.0.5'; '*' accepts any). Default: "
                          "localhost names and the --host address."),
        click.option("--cors-allowed-origins", default=None, metavar="ORIGINS",
                     help="Comma-separated origins allowed to call the API from a browser "
                          "(e.g. 'https://app.example.com'). Default: none."),
        click.option("--static-prefix", default=None, metavar="PREFIX",
                     help="Serve everything under this URL path prefix (e.g. /mltrail)."),
        click.option("--dev", is_flag=True, default=False,
                     help="Development mode: reload on code changes, log every request."),
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


def _run(**options: Any) -> None:
    from mltrail.server.config import build_config

    dev = options.pop("dev")
    try:
        config = build_config(**options)
    except MlflowException as error:
        raise click.UsageError(error.message) from None
    if dev and config.workers > 1:
        raise click.UsageError("--dev reloads a single process: drop --workers.")
    _serve(config, dev)


def _serve(config: Any, dev: bool) -> None:
    import uvicorn

    display_host = f"[{config.host}]" if ":" in config.host else config.host
    url = f"http://{display_host}:{config.port}{config.static_prefix}"
    common: dict[str, Any] = {
        "host": config.host,
        "port": config.port,
        "access_log": dev,
        "server_header": False,
        "log_level": "info",
    }
    single_process = config.workers == 1 and not dev
    if single_process:
        app = _open_app(config)
    else:
        _preflight(config)
    if config.host in ("0.0.0.0", "::") and not config.allowed_hosts:
        click.echo(
            "Listening on every interface: pass --allowed-hosts with the names clients use "
            "(only localhost names are accepted otherwise).",
            err=True,
        )
    click.echo(f"mltrail server listening on {url} (open it in a browser)", err=True)
    if single_process:
        uvicorn.run(app, **common)  # type: ignore[arg-type]
        return
    os.environ.update(config.to_env())
    import mltrail

    source_dir = os.path.dirname(os.path.abspath(mltrail.__file__))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        workers=None if dev else config.workers,
        reload=dev,
        reload_dirs=[source_dir] if dev else None,
        **common,
    )


def _open_app(config: Any) -> Any:
    """The application; opens (creates or migrates) the database, reporting config errors."""
    from mltrail.server.app import create_app

    try:
        return create_app(config)
    except MlflowException as error:
        raise click.ClickException(error.message) from None


def _preflight(config: Any) -> None:
    """Check the settings and prepare the database in a child process, so the supervisor of
    several workers (or of the reloader) stays small."""
    result = subprocess.run(
        [sys.executable, "-m", "mltrail.server.preflight"],
        env={**os.environ, **config.to_env()},
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise click.ClickException(result.stderr.strip() or "the server could not start")


@click.command("server")
@_options
def server(**options: Any) -> None:
    """Run the tracking server (MLflow REST API, artifact proxy, docs at /docs)."""
    _run(**options)


@click.command("ui")
@_options
def ui(**options: Any) -> None:
    """Run the tracking server locally (same as `mltrail server`)."""
    _run(**options)
