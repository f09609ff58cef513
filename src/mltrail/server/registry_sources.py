"""Where a model version's ``source`` may point (rest-registry.md §3.2, create).

A client registering a version names its files with ``source``; the server later hands that
location out as the download URI (and may serve files from it). So a source must belong to
the run or logged model the request names, and a local path must lie inside that run's
artifact directory *and* inside the artifact roots this server manages:

* ``models:/<model_id>`` needs ``model_id`` equal to that id (the logged model must exist);
  ``run_id`` defaults to the model's source run. ``models:/<name>/<version>`` and
  ``models:/<name>@<alias>`` are left to the registry store to resolve.
* ``runs:/<run_id>/<path>`` needs the request's ``run_id`` to be that run.
* ``mlflow-artifacts:/...`` (or the proxy's ``http(s)://.../api/2.0/mlflow-artifacts/artifacts/...``)
  and local paths need a ``run_id``/``model_id`` whose artifact root contains the source.
* Any other scheme (``s3://``, ``gs://`` ...) is accepted as given.

``..`` segments (also percent-encoded) and NUL characters are refused everywhere, and the
optional ``MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX`` must match when set.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.server.artifact_roots import PROXY_SCHEME, check_local_location, is_local
from mltrail.server.context import ServerContext

SOURCE_REGEX_ENV = "MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX"
_PROXY_HTTP_PATH = "/api/2.0/mlflow-artifacts/artifacts/"
_MAX_DECODE_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class CheckedSource:
    """The accepted source with the run and logged model it belongs to."""

    source: str
    run_id: str | None
    model_id: str | None


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _not_contained(source: str, parameter: str) -> MlflowException:
    return _invalid(
        f"Invalid model version source: {source!r}. The {parameter} request parameter must "
        "identify the resource that contains the source."
    )


def _check_text(source: str) -> None:
    forms = [source]
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    for form in forms:
        if "\x00" in form:
            raise _invalid("Invalid model version source: it contains a NUL character.")
        if ".." in re.split(r"[/\\]", form):
            raise _invalid(
                f"Invalid model version source {source!r}: '..' path segments are not "
                "allowed. Give the location without climbing out of a directory."
            )
    pattern = os.environ.get(SOURCE_REGEX_ENV)
    if pattern and not re.search(pattern, source):
        raise _invalid(
            f"Invalid model version source {source!r}: it does not match the server's "
            f"{SOURCE_REGEX_ENV} ({pattern!r})."
        )


def checked_source(
    ctx: ServerContext, source: str, run_id: str | None, model_id: str | None
) -> CheckedSource:
    """``source`` with its run and model ids if it may be registered; 400/403/404 otherwise."""
    _check_text(source)
    parsed = urlparse(source)
    scheme = parsed.scheme.lower()
    if scheme == "models":
        return _models_source(ctx, source, run_id, model_id)
    if scheme == "runs":
        owner = parsed.path.lstrip("/").split("/", 1)[0] or parsed.netloc
        if not run_id or run_id != owner:
            raise _not_contained(source, "run_id")
        ctx.store.get_run(run_id)  # 404 when the run does not exist
        return CheckedSource(source, run_id, model_id)
    if scheme == PROXY_SCHEME or (scheme in ("http", "https") and _PROXY_HTTP_PATH in parsed.path):
        _check_contained(ctx, source, _proxy_path(source), run_id, model_id, proxied=True)
        return CheckedSource(source, run_id, model_id)
    if is_local(source):
        _check_contained(ctx, source, _local_path(source), run_id, model_id, proxied=False)
        check_local_location(ctx.config, source, "Model version source")
        return CheckedSource(source, run_id, model_id)
    return CheckedSource(source, run_id, model_id)


def _models_source(
    ctx: ServerContext, source: str, run_id: str | None, model_id: str | None
) -> CheckedSource:
    reference = urlparse(source).path.lstrip("/")
    if not reference:
        raise _invalid(f"Invalid model version source {source!r}: expected models:/<id>.")
    if "/" in reference or "@" in reference:  # models:/<name>/<version> or models:/<name>@alias
        return CheckedSource(source, run_id, model_id)
    if model_id != reference:
        raise _not_contained(source, "model_id")
    logged_model = ctx.store.get_logged_model(model_id)  # 404 when it does not exist
    return CheckedSource(source, run_id or logged_model.source_run_id or None, model_id)


def _proxy_path(uri: str) -> str:
    """The path inside the artifact proxy's destination that ``uri`` names ('' if none)."""
    parsed = urlparse(uri)
    if parsed.scheme.lower() == PROXY_SCHEME:
        return unquote(parsed.path).strip("/")
    if parsed.scheme.lower() in ("http", "https") and _PROXY_HTTP_PATH in parsed.path:
        return unquote(parsed.path.split(_PROXY_HTTP_PATH, 1)[1]).strip("/")
    return ""


def _local_path(uri: str) -> str:
    parsed = urlparse(uri)
    raw = unquote(parsed.path) if parsed.scheme == "file" else uri
    return str(Path(os.path.abspath(raw)).resolve())


def _owner_roots(ctx: ServerContext, run_id: str | None, model_id: str | None) -> list[str]:
    roots = []
    if run_id:
        roots.append(ctx.store.get_run(run_id).info.artifact_uri)
    if model_id:
        roots.append(ctx.store.get_logged_model(model_id).artifact_location)
    return roots


def _root_as(ctx: ServerContext, root: str, proxied: bool) -> str:
    """``root`` in the form the source is compared in: a proxy path or a local path."""
    if proxied:
        return _proxy_path(root)
    if urlparse(root).scheme.lower() == PROXY_SCHEME:  # a proxied root stored on local disk
        destination = ctx.config.artifacts_destination
        if not (ctx.config.serve_artifacts and is_local(destination)):
            return ""
        return _local_path(os.path.join(_local_path(destination), _proxy_path(root)))
    return _local_path(root) if is_local(root) else ""


def _check_contained(
    ctx: ServerContext,
    source: str,
    path: str,
    run_id: str | None,
    model_id: str | None,
    proxied: bool,
) -> None:
    if not run_id and not model_id:
        raise _invalid(
            f"Invalid model version source {source!r}: registering a version from an artifact "
            "location needs the run_id (or model_id) whose artifacts contain it."
        )
    for root in _owner_roots(ctx, run_id, model_id):
        inside = _root_as(ctx, root, proxied)
        if inside and path and (path == inside or path.startswith(inside.rstrip("/") + "/")):
            return
    raise _not_contained(source, "run_id" if run_id else "model_id")
