"""Which artifact locations the server may touch on its own disk.

A client chooses experiment artifact locations, so without a check it could name ``/etc`` or
``file:///home`` and then have the server list those directories. The server only reads or
accepts local locations that lie inside the roots it manages: ``--artifacts-destination``
(when it serves artifacts) and a local ``--default-artifact-root``. Remote URIs (``s3://`` and
the like) are left to the storage's own permissions, and ``mlflow-artifacts:`` URIs map into
the destination, where the same confinement applies after mapping.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from mltrail.exceptions import PERMISSION_DENIED, MlflowException
from mltrail.server.config import ServerConfig
from mltrail.utils.artifact_paths import validate_artifact_path

PROXY_SCHEME = "mlflow-artifacts"


def is_local(uri: str) -> bool:
    scheme = urlparse(uri).scheme
    return scheme in ("", "file") or (len(scheme) == 1 and scheme.isalpha())  # C:\\ paths


def _local_path(uri: str) -> Path:
    parsed = urlparse(uri)
    raw = unquote(parsed.path) if parsed.scheme == "file" else uri
    return Path(os.path.abspath(raw)).resolve()


def managed_local_roots(config: ServerConfig) -> list[Path]:
    roots = []
    if config.serve_artifacts and is_local(config.artifacts_destination):
        roots.append(_local_path(config.artifacts_destination))
    if is_local(config.default_artifact_root):
        roots.append(_local_path(config.default_artifact_root))
    return roots


def check_local_location(config: ServerConfig, uri: str, what: str) -> None:
    """Refuse a local ``uri`` outside the managed roots (PERMISSION_DENIED, a 403), and a
    proxied one whose path climbs out of the destination (INVALID_PARAMETER_VALUE)."""
    parsed = urlparse(uri)
    if parsed.scheme == PROXY_SCHEME:
        validate_artifact_path(parsed.path.lstrip("/"))
        return
    if not is_local(uri):
        return
    path = _local_path(uri)
    if any(path == root or path.is_relative_to(root) for root in managed_local_roots(config)):
        return
    raise MlflowException(
        f"{what} {uri!r} is a local path outside the artifact roots this server manages. "
        "Leave the location unset to use the server's artifact store "
        "(mlflow-artifacts:/ when it serves artifacts), or use a remote store such as s3://.",
        error_code=PERMISSION_DENIED,
    )
