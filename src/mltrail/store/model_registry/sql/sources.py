"""Where a new model version's files are: validate its ``source`` and resolve its download URI.

Safety rules (MLflow had path-traversal and local-file disclosure holes here):

* ``..`` segments (literal or percent-encoded) and NUL characters are refused in every form;
* a local path or ``file:`` URI must lie (symlinks resolved) inside an artifact root the
  tracking store manages: the default artifact root, an experiment's artifact location or the
  given run's artifact directory; anything else on the server's disk is refused;
* ``models:/m-<id>`` must name an existing logged model (its artifact location becomes the
  download URI); ``models:/<name>/<version>`` an existing version; ``runs:/<run>/<path>`` an
  existing run that matches ``run_id`` when both are given;
* other schemes (``mlflow-artifacts:``, ``s3://``, ``gs://``, ``http(s)://`` ...) are kept as
  given.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import sqlalchemy as sa
from sqlalchemy import Connection

from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.model_registry.sql.loading import version_row
from mltrail.store.model_registry.validation import parse_version, validate_model_name
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.locations import is_local_path
from mltrail.utils.artifact_paths import local_path_from_uri

_LOGGED_MODEL_ID = re.compile(r"^m-[0-9a-f]{32}$")
_MAX_DECODE_ROUNDS = 4


@dataclass(frozen=True, slots=True)
class ResolvedSource:
    storage_location: str  # what get_model_version_download_uri returns
    run_id: str | None
    model_id: str | None


def _invalid(source: str, problem: str) -> MlflowException:
    return MlflowException(
        f"Invalid model version source '{source}': {problem}", error_code=INVALID_PARAMETER_VALUE
    )


def resolve_source(
    conn: Connection,
    source: object,
    run_id: str | None,
    model_id: str | None,
    default_artifact_root: str,
) -> ResolvedSource:
    """Check ``source`` and return its download URI and the run/model ids it implies."""
    if not isinstance(source, str) or not source.strip():
        raise MlflowException(
            f"Invalid model version source {source!r}: expected a non-empty URI or path such as "
            "'models:/m-<id>', 'runs:/<run_id>/model' or 's3://bucket/model'.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    _refuse_traversal(source)
    scheme = urlparse(source).scheme.lower()
    if scheme == "models":
        return _models_source(conn, source, run_id, model_id)
    if scheme == "runs":
        return _runs_source(conn, source, run_id, model_id)
    if is_local_path(source) or scheme == "file":
        _check_local_source(conn, source, run_id, default_artifact_root)
    return ResolvedSource(source, run_id or None, model_id or None)


def _refuse_traversal(source: str) -> None:
    forms = [source]
    current = source
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(current)
        if decoded == current:
            break
        forms.append(decoded)
        current = decoded
    for form in forms:
        if "\x00" in form:
            raise _invalid(source, "NUL characters are not allowed.")
        if ".." in re.split(r"[/\\]", form):
            raise _invalid(source, "'..' path segments are not allowed.")


def _models_source(
    conn: Connection, source: str, run_id: str | None, model_id: str | None
) -> ResolvedSource:
    path = source[len("models:") :].lstrip("/")
    if _LOGGED_MODEL_ID.match(path):
        if model_id and model_id != path:
            raise _invalid(
                source,
                f"the model_id '{model_id}' does not match the logged model in the source. "
                "The model_id request parameter must identify the resource that contains the "
                "source.",
            )
        models = schema.logged_models
        row = conn.execute(
            sa.select(models.c.artifact_location, models.c.source_run_id).where(
                models.c.model_id == path
            )
        ).first()
        if row is None:
            raise MlflowException(
                f"Logged model with ID '{path}' not found.", error_code=RESOURCE_DOES_NOT_EXIST
            )
        return ResolvedSource(row.artifact_location, run_id or row.source_run_id, path)
    name, slash, version = path.rpartition("/")
    if not slash:
        raise _invalid(
            source,
            "expected 'models:/m-<model_id>' (a logged model) or 'models:/<name>/<version>'.",
        )
    referenced = version_row(conn, validate_model_name(name), parse_version(version))
    return ResolvedSource(
        referenced.storage_location,
        run_id or referenced.run_id or None,
        model_id or referenced.model_id,
    )


def _runs_source(
    conn: Connection, source: str, run_id: str | None, model_id: str | None
) -> ResolvedSource:
    parsed = urlparse(source)
    source_run_id = parsed.netloc or parsed.path.lstrip("/").split("/", 1)[0]
    if not source_run_id:
        raise _invalid(source, "expected 'runs:/<run_id>/<artifact path>'.")
    if run_id and run_id != source_run_id:
        raise _invalid(
            source,
            f"the run_id '{run_id}' is not the run in the source. The run_id request parameter "
            "must identify the resource that contains the source.",
        )
    runs = schema.runs
    exists = conn.execute(sa.select(runs.c.run_pk).where(runs.c.run_id == source_run_id)).first()
    if exists is None:
        raise MlflowException(
            f"Run with id={source_run_id} not found", error_code=RESOURCE_DOES_NOT_EXIST
        )
    return ResolvedSource(source, source_run_id, model_id or None)


def _check_local_source(
    conn: Connection, source: str, run_id: str | None, default_artifact_root: str
) -> None:
    try:
        target = _real(local_path_from_uri(source))
    except MlflowException as e:
        raise _invalid(source, e.message) from None
    roots = [default_artifact_root]
    roots.extend(conn.execute(sa.select(schema.experiments.c.artifact_location)).scalars())
    if run_id:
        runs = schema.runs
        roots.extend(
            conn.execute(sa.select(runs.c.artifact_uri).where(runs.c.run_id == run_id)).scalars()
        )
    for root in roots:
        if not (is_local_path(root) or root.startswith("file:")):
            continue
        try:
            real_root = _real(local_path_from_uri(root))
        except MlflowException:
            continue
        if real_root != Path(real_root.anchor) and target.is_relative_to(real_root):
            return
    raise _invalid(
        source,
        "local paths must lie inside the tracking server's artifact storage (an experiment's "
        "artifact location or the default artifact root). Register a logged model "
        "('models:/m-<id>'), a run artifact ('runs:/<run_id>/model') or a storage URI instead.",
    )


def _real(path: Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))
