"""``mltrail models``: serve a model over HTTP, predict from a file, write a Dockerfile."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from mltrail.exceptions import MlflowException

ENV_MANAGERS = ("local", "virtualenv", "uv", "conda")
DOCKER_MODEL_DIR = "/opt/ml/model"
DOCKER_PORT = 8080


ISOLATED_ENV_MANAGERS = ("virtualenv", "uv")


def _check_env_manager(env_manager: str, no_conda: bool = False) -> None:
    """``generate-dockerfile``: the image installs the model's requirements itself."""
    if no_conda or env_manager == "local":
        return
    raise click.UsageError(
        f"--env-manager {env_manager} is not supported by generate-dockerfile: the image "
        "installs the model's requirements.txt itself. Pass --env-manager local."
    )


def _isolated_env_manager(env_manager: str, no_conda: bool = False) -> str | None:
    """``virtualenv``/``uv`` (run in an isolated environment), ``None`` for local."""
    if no_conda or env_manager == "local":
        return None
    if env_manager == "conda":
        raise click.UsageError(
            "--env-manager conda is not supported: mltrail does not drive conda. Use "
            "--env-manager virtualenv (this Python, pip), uv, or local (this environment)."
        )
    return env_manager


def _run_isolated(
    model_dir: str, env_manager: str, arguments: list[str], overrides: list[str] | None = None
) -> None:
    """Build/reuse the model's environment and run ``models <arguments>`` inside it."""
    from mltrail.cli.env_reexec import prepare_environment, run_in_environment

    try:
        python = prepare_environment(model_dir, env_manager, overrides or [])
        status = run_in_environment(
            python, ["models", *arguments, "--env-manager", "local"],
            own_group=arguments[0] == "serve",
        )  # fmt: skip
    except MlflowException as error:
        raise click.ClickException(error.message) from None
    sys.exit(status)


def _local_model_dir(model_uri: str) -> str:
    from mltrail.models.uri import download_model

    try:
        return download_model(model_uri)
    except MlflowException as error:
        raise click.ClickException(error.message) from None


def _load(model_path: str) -> Any:
    from mltrail.pyfunc.scoring_server import load_served_model

    try:
        return load_served_model(model_path)
    except MlflowException as error:
        raise click.ClickException(error.message) from None


def _model_uri_option(required: bool = True) -> Any:
    return click.option(
        "--model-uri", "-m", required=required, metavar="URI",
        help="Model to use: a local path, runs:/<run_id>/<path>, models:/<id> or a remote URI.",
    )  # fmt: skip


def _env_manager_option() -> Any:
    return click.option(
        "--env-manager", type=click.Choice(ENV_MANAGERS), default="local", show_default=True,
        help="Environment the model runs in: local (this Python environment), virtualenv "
             "or uv (an isolated environment with the model's requirements, built once and "
             "cached under $MLTRAIL_ENV_ROOT or ~/.mltrail/envs).",
    )  # fmt: skip


@click.group("models")
def models() -> None:
    """Serve MLflow models, score files with them, and build serving images."""


@models.command("serve", context_settings={"help_option_names": ["--help"]})
@_model_uri_option()
@click.option("--port", "-p", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--host",
    "-h",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 for every interface).",
)
@click.option(
    "--timeout",
    "-t",
    default=60.0,
    show_default=True,
    type=float,
    envvar="MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT",
    help="Seconds a request may take before it is answered with 504.",
)
@click.option(
    "--workers",
    "-w",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes; each loads the model.",
)
@_env_manager_option()
@click.option("--no-conda", is_flag=True, default=False, help="Same as --env-manager local.")
@click.option(
    "--install-mlflow",
    is_flag=True,
    default=False,
    help="Accepted for compatibility: isolated environments always get mltrail.",
)
@click.option(
    "--allowed-hosts",
    default=None,
    metavar="HOSTS",
    envvar="MLTRAIL_SCORING_ALLOWED_HOSTS",
    help="Comma-separated Host header values to accept ('*' accepts any). Default: "
    "localhost names and the --host address.",
)
@click.option(
    "--max-body-bytes",
    default=None,
    type=click.IntRange(min=1),
    metavar="BYTES",
    help="Largest request body accepted (413 beyond). Default: 64 MiB.",
)
def serve(
    model_uri: str,
    port: int,
    host: str,
    timeout: float,
    workers: int,
    env_manager: str,
    no_conda: bool,
    install_mlflow: bool,
    allowed_hosts: str | None,
    max_body_bytes: int | None,
) -> None:
    """Serve a model: POST /invocations, GET /ping, /health and /version."""
    import uvicorn

    from mltrail.pyfunc.scoring_server import (
        DEFAULT_MAX_BODY_BYTES,
        ScoringConfig,
        app_from_config,
    )

    isolated = _isolated_env_manager(env_manager, no_conda)
    model_path = _local_model_dir(model_uri)
    if isolated:
        arguments = ["serve", "-m", model_path, "-p", str(port), "-h", host, "-t", str(timeout),
                     "-w", str(workers)]  # fmt: skip
        if allowed_hosts is not None:
            arguments += ["--allowed-hosts", allowed_hosts]
        if max_body_bytes is not None:
            arguments += ["--max-body-bytes", str(max_body_bytes)]
        _run_isolated(model_path, isolated, arguments)
    hosts = tuple(h.strip() for h in (allowed_hosts or "").split(",") if h.strip())
    config = ScoringConfig(
        model_path=model_path,
        host=host,
        allowed_hosts=hosts,
        max_body_bytes=max_body_bytes or DEFAULT_MAX_BODY_BYTES,
        timeout_seconds=timeout,
    )
    common: dict[str, Any] = {
        "host": host, "port": port, "server_header": False, "log_level": "info",
    }  # fmt: skip
    if host in ("0.0.0.0", "::") and not hosts:
        click.echo(
            "Listening on every interface: pass --allowed-hosts with the names clients use "
            "(only localhost names are accepted otherwise).",
            err=True,
        )
    click.echo(f"Serving model {model_uri} on http://{host}:{port}/invocations", err=True)
    if workers == 1:
        app = app_from_config(config, _load(config.model_path))
        uvicorn.run(app, **common)
        return
    _load(config.model_path)  # fail here, once, rather than in every worker
    os.environ.update(config.to_env())
    uvicorn.run(
        "mltrail.pyfunc.scoring_server:app_from_environment",
        factory=True,
        workers=workers,
        **common,
    )


def _parse_env_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--env expects KEY=VALUE, got {pair!r}.")
        result[key] = value
    return result


@models.command("predict")
@_model_uri_option()
@click.option(
    "--input-path",
    "-i",
    default=None,
    type=click.Path(dir_okay=False),
    help="Input file (JSON scoring request or CSV). Default: standard input.",
)
@click.option(
    "--output-path",
    "-o",
    default=None,
    type=click.Path(dir_okay=False),
    help="Where to write the predictions JSON. Default: standard output.",
)
@click.option(
    "--content-type",
    "-t",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="Format of the input.",
)
@_env_manager_option()
@click.option(
    "--install-mlflow",
    is_flag=True,
    default=False,
    help="Accepted for compatibility: isolated environments always get mltrail.",
)
@click.option(
    "--pip-requirements-override",
    "-r",
    default=None,
    metavar="REQS",
    help="Comma-separated requirements (x==1,y>2) replacing or adding to the model's, "
    "with --env-manager virtualenv or uv.",
)
@click.option(
    "--env",
    "extra_envs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Environment variable set while loading and predicting (repeatable).",
)
def predict(
    model_uri: str,
    input_path: str | None,
    output_path: str | None,
    content_type: str,
    env_manager: str,
    install_mlflow: bool,
    pip_requirements_override: str | None,
    extra_envs: tuple[str, ...],
) -> None:
    """Predict with a model on a JSON or CSV input, exactly as the scoring server would."""
    from mltrail.pyfunc.scoring_input import CONTENT_TYPE_CSV, CONTENT_TYPE_JSON, parse_request_body
    from mltrail.pyfunc.scoring_output import predictions_to_json
    from mltrail.pyfunc.scoring_server import predict as predict_with

    isolated = _isolated_env_manager(env_manager)
    env_pairs = _parse_env_pairs(extra_envs)
    if pip_requirements_override and not isolated:
        raise click.UsageError(
            "--pip-requirements-override needs an isolated environment: pass --env-manager "
            "virtualenv or uv, or install the packages into this environment."
        )
    model_path = _local_model_dir(model_uri)
    if isolated:
        from mltrail.pyfunc.model_env import parse_overrides

        arguments = ["predict", "-m", model_path, "-t", content_type]
        arguments += ["-i", input_path] if input_path else []
        arguments += ["-o", output_path] if output_path else []
        for key, value in env_pairs.items():
            arguments += ["--env", f"{key}={value}"]
        _run_isolated(model_path, isolated, arguments, parse_overrides(pip_requirements_override))
    os.environ.update(env_pairs)
    model = _load(model_path)
    body = Path(input_path).read_bytes() if input_path else sys.stdin.buffer.read()
    mime = CONTENT_TYPE_CSV if content_type == "csv" else CONTENT_TYPE_JSON
    try:
        parsed = parse_request_body(body, mime, getattr(model, "metadata", None))
        text = predictions_to_json(
            predict_with(model, parsed.data, parsed.params), parsed.unwrapped
        )
    except MlflowException as error:
        raise click.ClickException(error.message) from None
    if output_path:
        Path(output_path).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@models.command("generate-dockerfile")
@_model_uri_option(required=False)
@click.option(
    "--output-directory",
    "-d",
    default="mlflow-dockerfile",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory to write the build context to.",
)
@_env_manager_option()
@click.option(
    "--mltrail-requirement",
    default=None,
    metavar="SPEC",
    help="pip requirement installing mltrail in the image (e.g. a wheel path "
    "inside the context or a VCS URL). Default: mltrail==<this version>.",
)
@click.option(
    "--base-image",
    default=None,
    metavar="IMAGE",
    help="Base image. Default: python:<model's Python major.minor>-slim.",
)
def generate_dockerfile(
    model_uri: str | None,
    output_directory: str,
    env_manager: str,
    mltrail_requirement: str | None,
    base_image: str | None,
) -> None:
    """Write a Dockerfile (and the model) that builds an image serving the model on 8080."""
    from mltrail.cli.dockerfile import write_build_context

    _check_env_manager(env_manager)
    model_dir = _local_model_dir(model_uri) if model_uri else None
    try:
        path = write_build_context(
            Path(output_directory), model_dir, mltrail_requirement, base_image
        )
    except MlflowException as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Wrote {path}; build it with: docker build -t my-model {output_directory}")
