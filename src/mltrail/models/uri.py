"""Model URIs -> local model directories (spec mlmodel-format §9).

Handles local paths, ``file:``, ``runs:/<run_id>/<path>`` (MLflow 3 logged models first, then
the run's artifacts), ``models:/<model_id>``, the registry forms ``models:/<name>/<version>``,
``models:/<name>/<stage>``, ``models:/<name>/latest`` and ``models:/<name>@<alias>`` (resolved
through the registry's download URI), and any artifact URI (``mlflow-artifacts:/``,
``http(s)://``, ``s3://``).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)

if TYPE_CHECKING:
    from mltrail.entities import ModelVersion
    from mltrail.tracking.client import MlflowClient

MLMODEL_FILE_NAME = "MLmodel"


def _client() -> MlflowClient:
    from mltrail.tracking.client import MlflowClient

    return MlflowClient()


def _scheme(uri: str) -> str:
    scheme = urlparse(uri).scheme.lower()
    return "" if len(scheme) == 1 else scheme  # "C:\\dir" is a path


def local_path_of(uri: str) -> Path | None:
    """The filesystem path of a local path or ``file:`` URI (None for remote URIs)."""
    scheme = _scheme(uri)
    if scheme == "":
        return Path(uri)
    if scheme == "file":
        parsed = urlparse(uri)
        if parsed.netloc not in ("", "localhost"):
            return None
        return Path(unquote(parsed.path))
    return None


# ---- parsing ------------------------------------------------------------------------------------


def parse_runs_uri(uri: str) -> tuple[str, str]:
    """``runs:/<run_id>/<path>`` -> (run_id, path); the path may be empty."""
    parsed = urlparse(uri)
    if parsed.scheme != "runs":
        raise MlflowException(f"Not a runs:/ URI: {uri!r}", INVALID_PARAMETER_VALUE)
    path = (parsed.netloc + parsed.path) if parsed.netloc else parsed.path
    parts = path.strip("/").split("/", 1)
    run_id = parts[0]
    if not run_id:
        raise MlflowException(
            f"Not a proper runs:/ URI: {uri!r}. Runs URIs must be of the form "
            "'runs:/<run_id>/run-relative/path/to/artifact'.",
            INVALID_PARAMETER_VALUE,
        )
    return run_id, parts[1].strip("/") if len(parts) > 1 else ""


def parse_models_uri(uri: str) -> tuple[str, str | None, str | None]:
    """``models:/`` URI -> (model id or name, version/stage suffix, alias)."""
    parsed = urlparse(uri)
    bad = MlflowException(
        f"Not a proper models:/ URI: {uri}. Models URIs must be of the form "
        "'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model "
        "version, stage, or the string 'latest', or 'models:/<model_id>'.",
        INVALID_PARAMETER_VALUE,
    )
    if parsed.scheme != "models":
        raise bad
    path = parsed.path.strip("/")
    if not path:
        raise bad
    if "@" in path.split("/", 1)[0]:
        name, _, alias = path.split("/", 1)[0].partition("@")
        if not name or not alias:
            raise bad
        return name, None, alias
    parts = path.split("/")
    if any(not part for part in parts):
        raise bad
    if len(parts) == 1:
        return parts[0], None, None
    return parts[0], "/".join(parts[1:]), None


# ---- resolution ---------------------------------------------------------------------------------


def _registered_version(
    client: MlflowClient, name: str, suffix: str | None, alias: str | None
) -> ModelVersion:
    """The model version a ``models:/<name>/<version|stage|latest>`` or ``@alias`` URI names."""
    from mltrail.entities import ModelVersionStages

    if alias is not None:
        return client.get_model_version_by_alias(name, alias)
    assert suffix is not None
    if suffix.isdigit():
        return client.get_model_version(name, suffix)
    if suffix.lower() == "latest":
        versions = client.get_latest_versions(name)
    else:
        try:
            stage = ModelVersionStages.get_canonical_stage(suffix)
        except ValueError:
            raise MlflowException(
                f"Invalid model URI suffix {suffix!r}: expected a version number, 'latest' or a "
                f"stage ({', '.join(ModelVersionStages.ALL_STAGES)}).",
                INVALID_PARAMETER_VALUE,
            ) from None
        versions = client.get_latest_versions(name, [stage])
    if not versions:
        raise MlflowException(
            f"No versions of registered model {name!r} match {suffix!r}.",
            RESOURCE_DOES_NOT_EXIST,
        )
    return max(versions, key=lambda version: int(version.version))


def _resolve(model_uri: str) -> tuple[str, str, str]:
    """(artifact root URI, path inside it, sub-directory of the download destination)."""
    scheme = _scheme(model_uri)
    if scheme == "models":
        model_id, suffix, alias = parse_models_uri(model_uri)
        client = _client()
        if suffix is None and alias is None:
            return client.get_logged_model(model_id).artifact_location, "", ""
        version = _registered_version(client, model_id, suffix, alias)
        download_uri = client.get_model_version_download_uri(version.name, version.version)
        if _scheme(download_uri) in ("models", "runs") and download_uri != model_uri:
            return _resolve(download_uri)
        return download_uri, "", ""
    if scheme == "runs":
        run_id, path = parse_runs_uri(model_uri)
        client = _client()
        run = client.get_run(run_id)
        if path:
            first, _, rest = path.partition("/")
            run_model = client.find_logged_model_of_run(run_id, first)
            if run_model is not None:  # downloaded into <dst>/<name>/, as MLflow does
                return run_model.artifact_location, rest, first
        return run.info.artifact_uri, path, ""
    return model_uri, "", ""


def resolve_model_artifact_uri(model_uri: str) -> tuple[str, str]:
    """(artifact root URI, path inside it) of the model named by ``model_uri``.

    For ``runs:/`` URIs an MLflow 3 logged model of the run wins over run artifacts.
    """
    root, path, _ = _resolve(model_uri)
    return root, path


def _missing(model_uri: str, detail: str) -> MlflowException:
    return MlflowException(
        f"Could not find a model at {model_uri!r}: {detail}", RESOURCE_DOES_NOT_EXIST
    )


def _download(model_uri: str, root: str, path: str, dst_path: str | None) -> str:
    """Download ``path`` under artifact ``root``; local roots without ``dst_path`` are used
    in place."""
    from mltrail.store.artifacts import get_artifact_repository

    local_root = local_path_of(root)
    if local_root is not None and dst_path is None:
        local = local_root.joinpath(*path.split("/")) if path else local_root
        if not local.exists():
            raise _missing(model_uri, f"{str(local)!r} does not exist.")
        return str(local.absolute())
    return get_artifact_repository(root).download_artifacts(path, dst_path)


def _split_artifact_uri(uri: str) -> tuple[str, str]:
    """An artifact URI -> (its parent URI, last path segment) so the segment is downloaded
    under its own name."""
    parsed = urlparse(uri)
    parent, name = posixpath.split(parsed.path.rstrip("/"))
    return parsed._replace(path=parent).geturl(), name


def download_model(model_uri: str, dst_path: str | None = None) -> str:
    """A local directory (or file) holding what ``model_uri`` names.

    Local paths are returned as they are; remote models are downloaded into ``dst_path``
    (a new temporary directory if None).
    """
    model_uri = os.fspath(model_uri)
    local = local_path_of(model_uri)
    if local is not None:
        if not local.exists():
            raise _missing(model_uri, "no such file or directory.")
        return str(local.absolute())
    scheme = _scheme(model_uri)
    if scheme in ("models", "runs"):
        root, path, subdir = _resolve(model_uri)
        if subdir and dst_path is not None:
            dst_path = os.path.join(dst_path, subdir)
        return _download(model_uri, root, path, dst_path)
    parent, name = _split_artifact_uri(model_uri)
    return _download(model_uri, parent, name, dst_path)


def download_mlmodel_file(model_uri: str) -> str:
    """The local path of the ``MLmodel`` file of ``model_uri`` (only that file is fetched)."""
    local = local_path_of(os.fspath(model_uri))
    if local is not None:
        if local.is_dir():
            return str(local / MLMODEL_FILE_NAME)
        return str(local)
    scheme = _scheme(model_uri)
    if scheme in ("models", "runs"):
        root, path = resolve_model_artifact_uri(model_uri)
    else:
        root, path = _split_artifact_uri(model_uri)
    if path.rsplit("/", 1)[-1] != MLMODEL_FILE_NAME:
        path = posixpath.join(path, MLMODEL_FILE_NAME) if path else MLMODEL_FILE_NAME
    return _download(model_uri, root, path, None)


__all__ = [
    "download_mlmodel_file",
    "download_model",
    "local_path_of",
    "parse_models_uri",
    "parse_runs_uri",
    "resolve_model_artifact_uri",
]
