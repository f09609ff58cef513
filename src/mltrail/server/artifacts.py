"""The ``mlflow-artifacts`` service: the server's artifact proxy (upload, download, list, delete).

Clients read and write ``<destination>/<path>`` through ``/api/2.0/mlflow-artifacts/artifacts/
<path>`` (mirrored under ``/ajax-api/``), so they never need the storage's credentials. The
destination is ``--artifacts-destination``: a local directory or ``s3://bucket/prefix``.

Bodies stream both ways in chunks: an upload is handed to the repository as a file-like object
that pulls the request body chunk by chunk, a download is sent as the repository reads it, so a
multi-gigabyte artifact passes with bounded server memory. Every path is validated and confined
to the destination; every error is a JSON ``{"error_code", "message"}`` body.
"""

from __future__ import annotations

import functools
import io
import logging
import mimetypes
import os
import posixpath
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import BinaryIO, cast
from urllib.parse import quote, urlparse

import anyio.from_thread
import anyio.lowlevel
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import (
    ENDPOINT_NOT_FOUND,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    NOT_IMPLEMENTED,
    MlflowException,
)
from mltrail.store.artifacts import ArtifactRepository, get_artifact_repository
from mltrail.utils.artifact_paths import validate_artifact_path

logger = logging.getLogger(__name__)

API_PREFIXES = ("/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts")
DOWNLOAD_CHUNK_SIZE = 1024 * 1024
#: Messages the MLflow client matches (it falls back to a plain PUT/GET on exactly these).
MULTIPART_UPLOAD_UNSUPPORTED = (
    "Multipart upload is not supported for the current artifact repository"
)
MULTIPART_DOWNLOAD_UNSUPPORTED = (
    "Multipart download is not supported for the current artifact repository"
)
#: Routes take every method and answer the unsupported ones with a JSON 405 themselves.
_ALL_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]
_PROXY_SCHEMES = frozenset({"http", "https", "mlflow-artifacts"})

# ---- content types ------------------------------------------------------------------------------
#: Types a browser could run script from: never inline, never with their real type.
_ACTIVE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml"}
)
_INLINE_BINARY_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"}
)
_TEXT_EXTENSIONS = frozenset(
    {"txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon"}
    | {"toml", "yaml", "yml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "sql", "sh"}
)
_TEXT_FILE_NAMES = frozenset({"MLmodel", "MLproject"})
_TEXT_PLAIN = "text/plain; charset=utf-8"


def download_content_type(file_name: str) -> tuple[str, bool]:
    """(Content-Type, served inline?) for a downloaded artifact.

    Text is served as ``text/plain`` inline, common images inline with their type; HTML, SVG
    and XML (which a browser could execute) and unknown types are downloads
    (``application/octet-stream``, ``Content-Disposition: attachment``).
    """
    guessed, _encoding = mimetypes.guess_type(file_name, strict=False)
    extension = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    if guessed in _ACTIVE_TYPES or extension in ("html", "htm", "svg", "svgz", "xhtml", "xml"):
        return "application/octet-stream", False
    if file_name in _TEXT_FILE_NAMES or extension in _TEXT_EXTENSIONS:
        return _TEXT_PLAIN, True
    if guessed is not None and guessed.startswith("text/"):
        return _TEXT_PLAIN, True
    if guessed in _INLINE_BINARY_TYPES:
        return guessed, True
    return guessed or "application/octet-stream", False


def content_disposition(file_name: str, inline: bool) -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` (header-safe for any name)."""
    ascii_name = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in file_name)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


# ---- errors -------------------------------------------------------------------------------------
def _error_response(error_code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error_code": error_code, "message": message}, status_code=status)


Handler = Callable[[Request], Awaitable[Response]]


def _json_errors(handler: Handler) -> Handler:
    """Answer MlflowException with its JSON body and status; anything else with a JSON 500."""

    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except MlflowException as error:
            return _error_response(error.error_code, error.message, error.get_http_status_code())
        except ClientDisconnect:
            logger.info("Client went away during %s %s", request.method, request.url.path)
            return _error_response(
                INVALID_PARAMETER_VALUE, "The client disconnected before the upload ended.", 400
            )
        except Exception:
            logger.exception("Artifact request %s %s failed", request.method, request.url.path)
            return _error_response(
                INTERNAL_ERROR,
                f"The artifact request {request.method} {request.url.path} failed on the "
                "server; the server log has the details.",
                500,
            )

    return wrapped


def _file_path(request: Request) -> str:
    """The validated artifact path of a file route (it must name a file)."""
    raw = str(request.path_params.get("artifact_path", ""))
    clean = validate_artifact_path(raw)
    if not clean or raw.endswith("/"):
        raise MlflowException(
            f"Invalid artifact path {raw!r}: it must include a file name (it may not be empty "
            "or end with '/').",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return clean


# ---- request body as a blocking stream ----------------------------------------------------------
class RequestBodyReader(io.RawIOBase):
    """A read-only binary stream over an ASGI request body, for use in a worker thread.

    Each ``read(n)`` fetches chunks from the event loop (``anyio.from_thread``), so at most one
    chunk plus ``n`` bytes are held in memory (the repositories read in bounded chunks).
    Create it on the event loop; read it from any other thread (boto3 reads from its own
    transfer threads), one reader at a time.
    """

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks
        self._token = anyio.lowlevel.current_token()
        self._lock = threading.Lock()
        self._buffer = bytearray()
        self._finished = False

    def readable(self) -> bool:
        return True

    async def _next_chunk(self) -> bytes | None:
        try:
            return await self._chunks.__anext__()
        except StopAsyncIteration:
            return None

    def _fill(self, wanted: float) -> None:
        while not self._finished and len(self._buffer) < wanted:
            chunk = anyio.from_thread.run(self._next_chunk, token=self._token)
            if chunk is None:
                self._finished = True
            else:
                self._buffer += chunk

    def read(self, size: int | None = -1) -> bytes:
        with self._lock:
            if size is None or size < 0:  # read everything: callers that stream never do
                self._fill(float("inf"))
                size = len(self._buffer)
            else:
                self._fill(size)
            data = bytes(self._buffer[:size])
            del self._buffer[:size]
            return data

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _file_chunks(stream: BinaryIO) -> Iterator[bytes]:
    try:
        while chunk := stream.read(DOWNLOAD_CHUNK_SIZE):
            yield chunk
    finally:
        stream.close()


def file_response(stream: BinaryIO, path: str, head: bool = False) -> Response:
    """Stream ``stream`` (the artifact at ``path``) to a browser or client with safe download
    headers (inline only for types a browser cannot execute, nosniff, a sandbox CSP); the
    stream is closed when the response is done (at once for ``head``)."""
    name = posixpath.basename(path)
    media_type, inline = download_content_type(name)
    headers = {
        "Content-Disposition": content_disposition(name, inline),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-cache",
    }
    size = _stream_size(stream)
    if size is not None:
        headers["Content-Length"] = str(size)
    if head:
        stream.close()
        return Response(b"", media_type=media_type, headers=headers)
    return StreamingResponse(
        _file_chunks(stream),
        media_type=media_type,
        headers=headers,
        background=BackgroundTask(stream.close),
    )


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        length = getattr(stream, "_content_length", None)  # botocore's StreamingBody
        return int(length) if length is not None else None


# ---- the service --------------------------------------------------------------------------------
class ArtifactProxy:
    """Route handlers over one destination repository."""

    def __init__(self, artifacts_root_uri: str) -> None:
        scheme = urlparse(artifacts_root_uri).scheme.lower()
        if scheme in _PROXY_SCHEMES:
            raise MlflowException(
                f"--artifacts-destination {artifacts_root_uri!r} is itself a proxied location; "
                "give a local directory or an object store URI such as s3://bucket/prefix.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        self.root_uri = artifacts_root_uri
        self.repository: ArtifactRepository = get_artifact_repository(artifacts_root_uri)

    async def upload(self, request: Request) -> Response:
        path = _file_path(request)
        reader = cast(BinaryIO, RequestBodyReader(request.stream()))
        await run_in_threadpool(self.repository.write_stream, path, reader)
        return JSONResponse({})

    async def download(self, request: Request) -> Response:
        path = _file_path(request)
        stream = await run_in_threadpool(self.repository.open_read, path)
        return file_response(stream, path, head=request.method == "HEAD")

    async def list_artifacts(self, request: Request) -> Response:
        path = validate_artifact_path(request.query_params.get("path") or "")
        infos = await run_in_threadpool(self.repository.list_artifacts, path or None)
        files = []
        for info in infos:
            entry: dict[str, object] = {
                "path": posixpath.basename(info.path),
                "is_dir": info.is_dir,
            }
            if not info.is_dir and info.file_size is not None:
                entry["file_size"] = info.file_size
            files.append(entry)
        return JSONResponse({"files": files} if files else {})

    async def delete(self, request: Request) -> Response:
        path = validate_artifact_path(str(request.path_params.get("artifact_path", "")))
        if not path:
            raise MlflowException(
                "Refusing to delete the whole artifact store: give the path of a file or "
                "directory to delete.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        await run_in_threadpool(self.repository.delete_artifacts, path)
        return JSONResponse({})

    async def multipart_upload(self, request: Request) -> Response:
        return _error_response(NOT_IMPLEMENTED, MULTIPART_UPLOAD_UNSUPPORTED, 501)

    async def presigned_download(self, request: Request) -> Response:
        return _error_response(NOT_IMPLEMENTED, MULTIPART_DOWNLOAD_UNSUPPORTED, 501)


def _by_method(handlers: dict[str, Handler]) -> Handler:
    """One endpoint per path: dispatch on the HTTP method, a JSON 405 for the others."""
    allowed = ", ".join(sorted(handlers))

    async def dispatch(request: Request) -> Response:
        handler = handlers.get(request.method)
        if handler is None:
            response = _error_response(
                ENDPOINT_NOT_FOUND,
                f"{request.method} is not allowed on {request.url.path}; use {allowed}.",
                405,
            )
            response.headers["Allow"] = allowed
            return response
        return await handler(request)

    return _json_errors(dispatch)


def artifact_routes(artifacts_root_uri: str) -> list[BaseRoute]:
    """The mlflow-artifacts routes (full paths, under ``/api`` and ``/ajax-api``) over
    ``artifacts_root_uri`` (``--artifacts-destination``: a local directory or ``s3://...``).

    Each route accepts every method and answers unsupported ones with a JSON 405 itself.
    """
    proxy = ArtifactProxy(artifacts_root_uri)
    listing = _by_method({"GET": proxy.list_artifacts, "HEAD": proxy.list_artifacts})
    files = _by_method(
        {"GET": proxy.download, "HEAD": proxy.download, "PUT": proxy.upload, "DELETE": proxy.delete}
    )
    multipart = _by_method({"POST": proxy.multipart_upload})
    presigned = _by_method({"GET": proxy.presigned_download})
    routes: list[BaseRoute] = []
    for prefix in API_PREFIXES:
        routes += [
            Route(f"{prefix}/artifacts", listing, methods=_ALL_METHODS),
            Route(f"{prefix}/artifacts/{{artifact_path:path}}", files, methods=_ALL_METHODS),
            Route(
                f"{prefix}/mpu/{{action:str}}/{{artifact_path:path}}",
                multipart,
                methods=_ALL_METHODS,
            ),
            Route(f"{prefix}/presigned/{{artifact_path:path}}", presigned, methods=_ALL_METHODS),
        ]
    return routes
