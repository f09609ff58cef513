"""Artifacts behind a tracking server's ``mlflow-artifacts`` proxy.

Handles ``mlflow-artifacts:/<path>`` (resolved against the current ``http(s)`` tracking URI),
``mlflow-artifacts://host:port/<path>`` (same scheme and path prefix, another host) and literal
``http(s)://host[/prefix]/api/2.0/mlflow-artifacts/artifacts/<path>`` URIs. Files go up and
come down as streams (never whole in memory), with a progress bar for large ones; directory
transfers run a few files in parallel. Transport, auth, TLS and retries are
:mod:`mltrail.utils.rest_http`'s.
"""

from __future__ import annotations

import functools
import os
import posixpath
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast
from urllib.parse import quote, unquote, urlparse

from mltrail.entities import FileInfo
from mltrail.exceptions import INTERNAL_ERROR, INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts.base import (
    ArtifactRepository,
    require_local_dir,
    require_local_file,
    walk_local_tree,
)
from mltrail.utils.artifact_paths import join_artifact_path, validate_artifact_path
from mltrail.utils.progress import Advance, transfer_progress

if TYPE_CHECKING:
    import requests

    from mltrail.utils.rest_http import HostCreds

ARTIFACTS_ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts"
TRANSFER_CHUNK_SIZE = 1024 * 1024
SPOOL_MEMORY_LIMIT = 8 * 1024 * 1024
PARALLEL_TRANSFERS = 4


def _invalid_uri(uri: str, why: str) -> MlflowException:
    return MlflowException(
        f"Invalid artifact URI {uri!r}: {why}", error_code=INVALID_PARAMETER_VALUE
    )


def _validate_host(uri: str, netloc: str) -> None:
    """Refuse ``mlflow-artifacts://5000/path``: a port given where the host belongs."""
    host, _, port = netloc.rpartition(":") if ":" in netloc else (netloc, "", "")
    if host.isdigit() and not port:
        raise _invalid_uri(
            uri,
            f"{netloc!r} looks like a port number without a host; write "
            "mlflow-artifacts://<host>:<port>/<path>, or mlflow-artifacts:/<path> to use the "
            "tracking server.",
        )


def _resolve_proxy_scheme(uri: str) -> tuple[str, str]:
    """``mlflow-artifacts:`` URI -> (server base URL, root path in the proxy)."""
    from mltrail.tracking._tracking_uri import get_tracking_uri

    parsed = urlparse(uri)
    tracking_uri = get_tracking_uri()
    tracking = urlparse(tracking_uri)
    if tracking.scheme not in ("http", "https"):
        raise MlflowException(
            f"The artifact URI {uri!r} is served by a tracking server's artifact proxy, but the "
            f"tracking URI is {tracking_uri!r}. Set the tracking URI to that server, e.g. "
            "mltrail.set_tracking_uri('http://localhost:5000').",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if parsed.netloc:
        _validate_host(uri, parsed.netloc)
    netloc = parsed.netloc or tracking.netloc
    base_url = f"{tracking.scheme}://{netloc}{tracking.path.rstrip('/')}"
    return base_url, parsed.path


def resolve_artifact_uri(uri: str) -> tuple[str, str]:
    """(server base URL, validated root path inside the proxy) for a proxied artifact URI."""
    parsed = urlparse(uri)
    if parsed.query or parsed.fragment or "?" in uri or "#" in uri:
        raise _invalid_uri(uri, "query strings and fragments are not allowed.")
    scheme = parsed.scheme.lower()
    if scheme == "mlflow-artifacts":
        base_url, root = _resolve_proxy_scheme(uri)
    elif scheme in ("http", "https"):
        before, marker, after = parsed.path.partition(ARTIFACTS_ENDPOINT)
        if not marker or (after and not after.startswith("/")):
            raise _invalid_uri(
                uri,
                f"an HTTP artifact URI must point into a tracking server's artifact proxy "
                f"(http(s)://<host>[/<prefix>]{ARTIFACTS_ENDPOINT}/<path>).",
            )
        base_url, root = f"{scheme}://{parsed.netloc}{before.rstrip('/')}", unquote(after)
    else:
        raise _invalid_uri(uri, "expected an mlflow-artifacts: or http(s): URI.")
    return base_url, validate_artifact_path(root.lstrip("/"))


def _check(response: requests.Response, endpoint: str) -> None:
    from mltrail.utils.rest_http import raise_for_response

    try:
        raise_for_response(response, endpoint)
    finally:
        if not 200 <= response.status_code < 300:
            response.close()


def _listed_name(name: object, directory: str) -> str:
    """A name from a listing, refused if a (broken or hostile) server sent a path."""
    try:
        valid = isinstance(name, str) and "/" not in name and bool(validate_artifact_path(name))
    except MlflowException:
        valid = False
    if not valid:
        raise MlflowException(
            f"The artifact server listed an invalid file name {name!r} in {directory!r}.",
            error_code=INTERNAL_ERROR,
        )
    return cast(str, name)


class _ProgressReader:
    """A seekable file wrapper that reports bytes read and has a length (for Content-Length).

    Seeking lets the HTTP layer rewind the body when it retries the request.
    """

    def __init__(self, stream: IO[bytes], length: int, advance: Advance) -> None:
        self._stream = stream
        self._length = length
        self._advance = advance

    def __len__(self) -> int:
        """The stream's end offset (requests subtracts ``tell()`` itself)."""
        return self._length

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._advance(len(data))
        return data

    def tell(self) -> int:
        return self._stream.tell()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)


def _run_all(tasks: list[Callable[[], None]]) -> None:
    """Run transfers a few at a time; the first failure is raised after all have ended."""
    if len(tasks) <= 1:
        for task in tasks:
            task()
        return
    with ThreadPoolExecutor(max_workers=PARALLEL_TRANSFERS) as pool:
        futures = [pool.submit(task) for task in tasks]
    for future in futures:
        future.result()


class HttpArtifactRepository(ArtifactRepository):
    """An artifact root inside a tracking server's ``mlflow-artifacts`` proxy."""

    def __init__(self, artifact_uri: str) -> None:
        from mltrail.utils.rest_http import host_creds_from_env

        super().__init__(artifact_uri)
        self.base_url, self.root = resolve_artifact_uri(artifact_uri)
        self._creds: HostCreds = host_creds_from_env(self.base_url)

    # ---- helpers ----------------------------------------------------------------------------
    def _full_path(self, artifact_path: str | None) -> str:
        return join_artifact_path(self.root, validate_artifact_path(artifact_path or ""))

    @staticmethod
    def _file_endpoint(full_path: str) -> str:
        return f"{ARTIFACTS_ENDPOINT}/{quote(full_path, safe='/')}"

    def _request(self, endpoint: str, method: str, **kwargs: Any) -> requests.Response:
        from mltrail.utils.rest_http import http_request

        response = http_request(self._creds, endpoint, method, **kwargs)
        _check(response, endpoint)
        return response

    def _put(self, artifact_path: str, body: object) -> None:
        endpoint = self._file_endpoint(self._full_path(artifact_path))
        headers = {"Content-Type": "application/octet-stream"}
        self._request(endpoint, "PUT", data=body, headers=headers).close()

    # ---- uploads ----------------------------------------------------------------------------
    def _upload_file(self, source: Path, artifact_path: str) -> None:
        size = source.stat().st_size
        with (
            source.open("rb") as stream,
            transfer_progress(f"Uploading {source.name}", size) as advance,
        ):
            self._put(artifact_path, _ProgressReader(stream, size, advance))

    def log_artifact(self, local_file: str, artifact_path: str | None = None) -> None:
        source = require_local_file(local_file)
        directory = validate_artifact_path(artifact_path or "")
        self._upload_file(source, join_artifact_path(directory, source.name))

    def log_artifacts(self, local_dir: str, artifact_path: str | None = None) -> None:
        source = require_local_dir(local_dir)
        directory = validate_artifact_path(artifact_path or "")
        tasks: list[Callable[[], None]] = []
        for relative, _dirnames, filenames in walk_local_tree(source):
            for name in filenames:
                target = validate_artifact_path(join_artifact_path(directory, relative, name))
                local = source / relative / name
                tasks.append(functools.partial(self._upload_file, local, target))
        _run_all(tasks)

    def write_stream(self, artifact_path: str, stream: BinaryIO) -> None:
        """Upload a stream; one that cannot seek is spooled first so retries can resend it."""
        if not artifact_path or artifact_path.endswith("/"):
            raise MlflowException(
                f"Invalid artifact path {artifact_path!r}: it must name a file.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        seekable = getattr(stream, "seekable", None)
        if callable(seekable) and seekable():
            start = stream.tell()
            length = stream.seek(0, os.SEEK_END) - start
            stream.seek(start)
            self._put(artifact_path, _ProgressReader(stream, length + start, lambda _n: None))
            return
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_LIMIT) as spool:
            shutil.copyfileobj(stream, spool, TRANSFER_CHUNK_SIZE)
            length = spool.tell()
            spool.seek(0)
            self._put(
                artifact_path, _ProgressReader(cast(IO[bytes], spool), length, lambda _n: None)
            )

    # ---- listing and deleting ---------------------------------------------------------------
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        relative = validate_artifact_path(path or "")
        full = self._full_path(relative)
        response = self._request(ARTIFACTS_ENDPOINT, "GET", params={"path": full})
        try:
            body = response.json()
        except ValueError as error:
            raise MlflowException(
                f"The artifact server at {self.base_url} answered a listing with a body that is "
                "not JSON.",
                error_code=INTERNAL_ERROR,
            ) from error
        infos = []
        for entry in body.get("files", []) if isinstance(body, dict) else []:
            name = _listed_name(entry.get("path"), full)
            is_dir = bool(entry.get("is_dir", False))
            size = entry.get("file_size")
            infos.append(
                FileInfo(
                    join_artifact_path(relative, name),
                    is_dir,
                    None if is_dir or size is None else int(size),
                )
            )
        return sorted(infos, key=lambda info: info.path)

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        full = self._full_path(artifact_path)
        if not full:
            raise MlflowException(
                f"Refusing to delete the whole artifact proxy store behind {self.artifact_uri!r}: "
                "give the path of a file or directory.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        self._request(self._file_endpoint(full), "DELETE", stream=True).close()

    # ---- downloads --------------------------------------------------------------------------
    def open_read(self, artifact_path: str) -> BinaryIO:
        endpoint = self._file_endpoint(self._full_path(artifact_path))
        response = self._request(endpoint, "GET", stream=True)
        response.raw.decode_content = True
        return cast(BinaryIO, response.raw)

    def _download_file(self, artifact_path: str, local_path: Path) -> None:
        endpoint = self._file_endpoint(self._full_path(artifact_path))
        response = self._request(endpoint, "GET", stream=True)
        local_path.parent.mkdir(parents=True, exist_ok=True)
        partial = local_path.with_name(f".{local_path.name}.{uuid.uuid4().hex}.part")
        length = response.headers.get("Content-Length")
        size = int(length) if length and length.isdigit() else None
        try:
            with (
                response,
                partial.open("wb") as sink,
                transfer_progress(f"Downloading {local_path.name}", size) as advance,
            ):
                for chunk in response.iter_content(TRANSFER_CHUNK_SIZE):
                    sink.write(chunk)
                    advance(len(chunk))
            os.replace(partial, local_path)
        finally:
            partial.unlink(missing_ok=True)

    def _files_under(self, artifact_dir: str, local_dir: Path) -> Iterator[tuple[str, Path]]:
        local_dir.mkdir(parents=True, exist_ok=True)
        for info in self.list_artifacts(artifact_dir or None):
            name = posixpath.basename(info.path)
            if info.is_dir:
                yield from self._files_under(info.path, local_dir / name)
            else:
                yield info.path, local_dir / name

    def _download_tree(self, artifact_dir: str, local_dir: Path) -> None:
        files = list(self._files_under(artifact_dir, local_dir))
        _run_all([functools.partial(self._download_file, path, local) for path, local in files])
