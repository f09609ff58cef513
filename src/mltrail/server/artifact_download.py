"""Serving one artifact file to a browser: the response both UI download routes share
(``/get-artifact`` for runs, ``/model-versions/get-artifact`` for registered models).

Text and common images are shown inline; HTML, SVG, XML and unknown types are attachments
(``download_content_type``). Every response forbids sniffing and runs under a sandbox CSP,
so even a file a browser would render cannot run script in the server's origin.
"""

from __future__ import annotations

import io
import os
import posixpath
from collections.abc import Iterator
from typing import BinaryIO

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.requests import missing_parameter
from mltrail.server.artifacts import content_disposition, download_content_type
from mltrail.utils.artifact_paths import validate_artifact_path

CHUNK_BYTES = 1024 * 1024
MAX_PARAMETER_LENGTH = 4096


def query_parameter(request: Request, *names: str) -> str:
    """The first non-empty query parameter among ``names`` (aliases), bounded in length."""
    for name in names:
        value = request.query_params.get(name)
        if value:
            if len(value) > MAX_PARAMETER_LENGTH:
                raise MlflowException(
                    f"Parameter '{name}' is too long: {len(value)} characters, at most "
                    f"{MAX_PARAMETER_LENGTH} are allowed.",
                    error_code=INVALID_PARAMETER_VALUE,
                )
            return value
    raise missing_parameter(names[0])


def file_path_parameter(request: Request) -> str:
    """The ``path`` parameter: a validated relative path naming a file (not the root)."""
    path = validate_artifact_path(query_parameter(request, "path"))
    if not path:
        raise missing_parameter("path")
    return path


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _size(stream: BinaryIO) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def file_response(stream: BinaryIO, path: str) -> StreamingResponse:
    """Stream ``stream`` (the artifact at ``path``) with safe download headers; closes it."""
    file_name = posixpath.basename(path)
    media_type, inline = download_content_type(file_name)
    headers = {
        "Content-Disposition": content_disposition(file_name, inline),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "no-cache",
    }
    size = _size(stream)
    if size is not None:
        headers["Content-Length"] = str(size)
    return StreamingResponse(
        _chunks(stream),
        media_type=media_type,
        headers=headers,
        background=BackgroundTask(stream.close),
    )
