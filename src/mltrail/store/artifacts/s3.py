"""Artifacts in S3 or an S3-compatible store (MinIO, Ceph, moto...), through boto3.

Configuration, named as in MLflow: ``MLFLOW_S3_ENDPOINT_URL`` (an S3-compatible endpoint),
``MLFLOW_S3_IGNORE_TLS`` (skip certificate checks), ``MLFLOW_S3_UPLOAD_EXTRA_ARGS`` (JSON of
extra ``put_object`` arguments, e.g. server-side encryption),
``MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE`` (``auto``/``path``/``virtual``); credentials and region
come from boto3's usual chain (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, profiles, roles).
Large files go through boto3's managed transfer (multipart, bounded memory).
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import urlparse

from mltrail.entities import FileInfo
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts.base import (
    ArtifactRepository,
    no_such_artifact,
    require_local_dir,
    require_local_file,
    walk_local_tree,
)
from mltrail.utils.artifact_paths import join_artifact_path, validate_artifact_path
from mltrail.utils.progress import transfer_progress

if TYPE_CHECKING:
    from boto3.s3.transfer import TransferConfig

_MULTIPART_THRESHOLD = 16 * 1024 * 1024
_MULTIPART_CHUNK_SIZE = 8 * 1024 * 1024  # streams of unknown size: up to 10,000 parts (80 GB)
_MAX_CONCURRENCY = 4
_MAX_BUFFERED_PARTS = 6  # parts of a non-seekable stream held in memory: at most ~48 MiB
_DELETE_BATCH = 1000  # the most keys one delete_objects call accepts


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("true", "1")


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix")`` (prefix validated)."""
    parsed = urlparse(uri)
    if parsed.scheme.lower() != "s3" or not parsed.netloc:
        raise MlflowException(
            f"Invalid S3 URI {uri!r}: expected s3://<bucket>/<optional prefix>.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if parsed.query or parsed.fragment or "?" in uri or "#" in uri:
        raise MlflowException(
            f"Invalid S3 URI {uri!r}: query strings and fragments are not allowed.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return parsed.netloc, validate_artifact_path(parsed.path.lstrip("/"))


def s3_client() -> Any:
    """A boto3 S3 client configured from the environment (see the module docstring)."""
    import boto3
    from botocore.config import Config

    addressing = os.environ.get("MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE", "auto")
    config = Config(signature_version="s3v4", s3={"addressing_style": addressing})
    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("MLFLOW_S3_ENDPOINT_URL") or None,
        verify=not _env_flag("MLFLOW_S3_IGNORE_TLS"),
        config=config,
    )


def _transfer_config() -> TransferConfig:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=_MULTIPART_THRESHOLD,
        multipart_chunksize=_MULTIPART_CHUNK_SIZE,
        max_concurrency=_MAX_CONCURRENCY,
    )
    config.max_in_memory_upload_chunks = _MAX_BUFFERED_PARTS  # not an __init__ argument
    return config


def _upload_extra_args() -> dict[str, Any] | None:
    raw = os.environ.get("MLFLOW_S3_UPLOAD_EXTRA_ARGS")
    if not raw:
        return None
    try:
        extra = json.loads(raw)
    except json.JSONDecodeError as error:
        raise MlflowException(
            f"MLFLOW_S3_UPLOAD_EXTRA_ARGS is not valid JSON ({error}); give a JSON object such "
            'as {"ServerSideEncryption": "aws:kms"}.',
            error_code=INVALID_PARAMETER_VALUE,
        ) from error
    return cast(dict[str, Any], extra)


def _is_missing(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    return code in ("NoSuchKey", "404", "NotFound")


def _require_file_name(artifact_path: str) -> str:
    clean = validate_artifact_path(artifact_path)
    if not clean or artifact_path.endswith("/"):
        raise MlflowException(
            f"Invalid artifact path {artifact_path!r}: it must name a file (it may not be empty "
            "or end with '/').",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return clean


class S3ArtifactRepository(ArtifactRepository):
    """An artifact root ``s3://bucket/prefix``; artifact ``a/b`` is the object ``prefix/a/b``."""

    def __init__(self, artifact_uri: str, client: Any = None) -> None:
        super().__init__(artifact_uri)
        self.bucket, self.prefix = parse_s3_uri(artifact_uri)
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = s3_client()
        return self._client

    def _key(self, artifact_path: str | None) -> str:
        return join_artifact_path(self.prefix, validate_artifact_path(artifact_path or ""))

    def _keys_under(self, key_prefix: str) -> Iterator[str]:
        """Every object key starting with ``key_prefix`` (paginated)."""
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=key_prefix):
            for item in page.get("Contents", []):
                yield item["Key"]

    # ---- uploads ----------------------------------------------------------------------------
    def _upload_file(self, source: Path, artifact_path: str) -> None:
        key = self._key(_require_file_name(artifact_path))
        size = source.stat().st_size
        with transfer_progress(f"Uploading {source.name}", size) as advance:
            self.client.upload_file(
                str(source),
                self.bucket,
                key,
                ExtraArgs=_upload_extra_args(),
                Config=_transfer_config(),
                Callback=advance,
            )

    def log_artifact(self, local_file: str, artifact_path: str | None = None) -> None:
        source = require_local_file(local_file)
        directory = validate_artifact_path(artifact_path or "")
        self._upload_file(source, join_artifact_path(directory, source.name))

    def log_artifacts(self, local_dir: str, artifact_path: str | None = None) -> None:
        source = require_local_dir(local_dir)
        directory = validate_artifact_path(artifact_path or "")
        for relative, _dirnames, filenames in walk_local_tree(source):
            for name in filenames:
                target = join_artifact_path(directory, relative, name)
                self._upload_file(source / relative / name, target)

    def write_stream(self, artifact_path: str, stream: BinaryIO) -> None:
        key = self._key(_require_file_name(artifact_path))
        self.client.upload_fileobj(
            stream, self.bucket, key, ExtraArgs=_upload_extra_args(), Config=_transfer_config()
        )

    # ---- listing and deleting ---------------------------------------------------------------
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        relative = validate_artifact_path(path or "")
        directory_key = self._key(relative)
        key_prefix = f"{directory_key}/" if directory_key else ""
        infos: list[FileInfo] = []
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(Bucket=self.bucket, Prefix=key_prefix, Delimiter="/")
        for page in pages:
            for common in page.get("CommonPrefixes", []):
                name = common["Prefix"][len(key_prefix) :].rstrip("/")
                if name:
                    infos.append(FileInfo(join_artifact_path(relative, name), True, None))
            for item in page.get("Contents", []):
                name = item["Key"][len(key_prefix) :]
                if name:  # a "directory marker" object named like the prefix is not a file
                    infos.append(
                        FileInfo(join_artifact_path(relative, name), False, int(item["Size"]))
                    )
        return sorted(infos, key=lambda info: info.path)

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        key = self._key(artifact_path)
        keys = list(self._keys_under(f"{key}/" if key else ""))
        if key:
            keys.append(key)  # the file itself; deleting a missing key is not an error
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": k} for k in keys[start : start + _DELETE_BATCH]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})

    # ---- streaming and downloads ------------------------------------------------------------
    def _require_not_directory(self, clean: str, key: str) -> None:
        if next(iter(self._keys_under(f"{key}/")), None) is not None:
            raise MlflowException(
                f"Artifact path refers to a directory, not a file: {clean!r}. List it with "
                "list_artifacts or download it with download_artifacts.",
                error_code=INVALID_PARAMETER_VALUE,
            )

    def open_read(self, artifact_path: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        clean = _require_file_name(artifact_path)
        key = self._key(clean)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _is_missing(error):
                self._require_not_directory(clean, key)
                raise no_such_artifact(clean) from None
            raise
        return cast(BinaryIO, response["Body"])

    def _download_file(self, artifact_path: str, local_path: Path) -> None:
        from botocore.exceptions import ClientError

        clean = _require_file_name(artifact_path)
        key = self._key(clean)
        try:
            size = int(self.client.head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as error:
            if _is_missing(error):
                self._require_not_directory(clean, key)
                raise no_such_artifact(clean) from None
            raise
        local_path.parent.mkdir(parents=True, exist_ok=True)
        with transfer_progress(f"Downloading {posixpath.basename(clean)}", size) as advance:
            self.client.download_file(
                self.bucket, key, str(local_path), Config=_transfer_config(), Callback=advance
            )
