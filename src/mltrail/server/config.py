"""The server's settings, validated once, and passed to uvicorn workers through the environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

CONFIG_ENV_VAR = "_MLTRAIL_SERVER_CONFIG"
DEFAULT_BACKEND_STORE_URI = "sqlite:///mlflow.db"
DEFAULT_ARTIFACTS_DESTINATION = "./mlartifacts"
PROXIED_ARTIFACT_ROOT = "mlflow-artifacts:/"
LOCAL_ARTIFACT_ROOT = "./mlruns"
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
LOCAL_HOST_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class ServerConfig:
    backend_store_uri: str = DEFAULT_BACKEND_STORE_URI
    registry_store_uri: str | None = None
    default_artifact_root: str = PROXIED_ARTIFACT_ROOT
    serve_artifacts: bool = True
    artifacts_destination: str = DEFAULT_ARTIFACTS_DESTINATION
    artifacts_only: bool = False
    host: str = "127.0.0.1"
    port: int = 5000
    allowed_hosts: tuple[str, ...] = ()
    cors_allowed_origins: tuple[str, ...] = ()
    static_prefix: str = ""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    workers: int = 1
    extra: dict[str, str] = field(default_factory=dict)

    def host_allow_list(self) -> tuple[str, ...]:
        """``--allowed-hosts`` if given, else the local names plus the bound address."""
        if self.allowed_hosts:
            return self.allowed_hosts
        names = [*LOCAL_HOST_NAMES]
        if self.host not in ("0.0.0.0", "::", "") and self.host not in names:
            names.append(self.host)
        return tuple(names)

    def to_env(self) -> dict[str, str]:
        return {CONFIG_ENV_VAR: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServerConfig:
        raw = (environ if environ is not None else os.environ).get(CONFIG_ENV_VAR)
        if not raw:
            raise RuntimeError(
                f"{CONFIG_ENV_VAR} is not set: start the server with `mltrail server`."
            )
        values = json.loads(raw)
        for item in fields(cls):
            if item.name in values and isinstance(values[item.name], list):
                values[item.name] = tuple(values[item.name])
        return cls(**values)


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def normalize_static_prefix(prefix: str | None) -> str:
    """``/prefix`` without a trailing slash ('' for none); must start with '/'."""
    if not prefix:
        return ""
    if not prefix.startswith("/"):
        raise _invalid(f"--static-prefix must start with '/', got {prefix!r} (e.g. '/mltrail').")
    if any(c in prefix for c in "?#\\ ") or "//" in prefix or "/../" in prefix + "/":
        raise _invalid(f"--static-prefix {prefix!r} is not a clean URL path.")
    return prefix.rstrip("/")


def split_list(value: str | None) -> tuple[str, ...]:
    """A comma-separated option as a tuple of non-empty, stripped items."""
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def build_config(
    *,
    backend_store_uri: str | None,
    registry_store_uri: str | None,
    default_artifact_root: str | None,
    serve_artifacts: bool,
    artifacts_destination: str | None,
    artifacts_only: bool,
    host: str,
    port: int,
    allowed_hosts: str | None,
    cors_allowed_origins: str | None,
    static_prefix: str | None,
    workers: int = 1,
) -> ServerConfig:
    """Validate the command-line options and resolve their defaults."""
    if not 1 <= port <= 65535:
        raise _invalid(f"--port must be between 1 and 65535, got {port}.")
    if workers < 1:
        raise _invalid(f"--workers must be at least 1, got {workers}.")
    if artifacts_only and not serve_artifacts:
        raise _invalid(
            "--artifacts-only needs --serve-artifacts: an artifacts-only server that does not "
            "serve artifacts would serve nothing. Drop --no-serve-artifacts."
        )
    if default_artifact_root is None:
        default_artifact_root = (
            PROXIED_ARTIFACT_ROOT if serve_artifacts else os.path.abspath(LOCAL_ARTIFACT_ROOT)
        )
    elif default_artifact_root.startswith("mlflow-artifacts:") and not serve_artifacts:
        raise _invalid(
            f"--default-artifact-root {default_artifact_root!r} points to the artifact proxy, "
            "but --no-serve-artifacts turns the proxy off. Serve artifacts or pick a storage "
            "location (a directory, s3://...)."
        )
    destination = artifacts_destination or DEFAULT_ARTIFACTS_DESTINATION
    if "://" not in destination:
        destination = os.path.abspath(destination)
    return ServerConfig(
        backend_store_uri=_absolute_sqlite(backend_store_uri or DEFAULT_BACKEND_STORE_URI),
        registry_store_uri=_absolute_sqlite(registry_store_uri) if registry_store_uri else None,
        default_artifact_root=default_artifact_root,
        serve_artifacts=serve_artifacts,
        artifacts_destination=destination,
        artifacts_only=artifacts_only,
        host=host,
        port=port,
        allowed_hosts=split_list(allowed_hosts),
        cors_allowed_origins=split_list(cors_allowed_origins),
        static_prefix=normalize_static_prefix(static_prefix),
        workers=workers,
    )


def _absolute_sqlite(uri: str) -> str:
    """Relative SQLite paths made absolute, so every worker opens the same file."""
    prefix = "sqlite:///"
    if uri.startswith(prefix):
        path, sep, query = uri[len(prefix) :].partition("?")
        if path and not path.startswith("/") and path != ":memory:":
            return f"{prefix}{os.path.abspath(path)}{sep}{query}"
    return uri
