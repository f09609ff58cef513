"""Pick the artifact repository for an artifact URI, by URI scheme.

Back ends are registered as ``"module:Class"`` strings and imported on first use, so optional
dependencies (boto3, HTTP clients) are only needed by the schemes that use them. Adding a back
end is one line in ``_REPOSITORIES`` (or a call to :func:`register_artifact_repository`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from urllib.parse import urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts.base import ArtifactRepository

RepositoryFactory = Callable[[str], ArtifactRepository]

_LOCAL = "mltrail.store.artifacts.local:LocalArtifactRepository"

#: URI scheme -> repository class (or "module:Class" imported lazily). "" is a plain path.
_REPOSITORIES: dict[str, RepositoryFactory | str] = {
    "": _LOCAL,
    "file": _LOCAL,
    "s3": "mltrail.store.artifacts.s3:S3ArtifactRepository",
    "http": "mltrail.store.artifacts.http:HttpArtifactRepository",
    "https": "mltrail.store.artifacts.http:HttpArtifactRepository",
    "mlflow-artifacts": "mltrail.store.artifacts.http:HttpArtifactRepository",
}


def register_artifact_repository(scheme: str, repository: RepositoryFactory | str) -> None:
    """Use ``repository`` (a class, a factory taking the URI, or "module:Class") for ``scheme``."""
    _REPOSITORIES[scheme.lower()] = repository


def supported_schemes() -> list[str]:
    return sorted(scheme for scheme in _REPOSITORIES if scheme)


def _scheme_of(artifact_uri: str) -> str:
    scheme = urlparse(artifact_uri).scheme.lower()
    return "" if len(scheme) == 1 else scheme  # "C:\\dir" is a Windows path, not a scheme


def _load(factory: RepositoryFactory | str) -> RepositoryFactory:
    if not isinstance(factory, str):
        return factory
    module_name, _, attribute = factory.partition(":")
    loaded: RepositoryFactory = getattr(importlib.import_module(module_name), attribute)
    return loaded


def get_artifact_repository(artifact_uri: str) -> ArtifactRepository:
    """The repository for ``artifact_uri`` (local path, ``file://``, or a registered scheme)."""
    if not isinstance(artifact_uri, str) or not artifact_uri:
        raise MlflowException(
            f"Invalid artifact URI {artifact_uri!r}: expected a non-empty URI or local path.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    scheme = _scheme_of(artifact_uri)
    factory = _REPOSITORIES.get(scheme)
    if factory is None:
        raise MlflowException(
            f"Unsupported artifact URI {artifact_uri!r}: no artifact repository handles the "
            f"scheme {scheme!r}. Supported: local paths and the schemes "
            f"{', '.join(supported_schemes())}.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    try:
        return _load(factory)(artifact_uri)
    except ImportError as error:
        raise MlflowException(
            f"The artifact repository for {scheme}:// URIs needs a package that is not "
            f"installed ({error}). Install the matching mltrail extra, e.g. "
            f"'pip install mltrail[{scheme}]'.",
            error_code=INVALID_PARAMETER_VALUE,
        ) from error
