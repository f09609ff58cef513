"""What the UI's file routes share (``/get-artifact`` for runs, ``/model-versions/get-artifact``
for registered models, logged-model files): bounded query parameters, a validated file path,
and the safe file response of the artifact proxy (``artifacts.file_response``: text and common
images inline; HTML, SVG, XML and unknown types as attachments; nosniff and a sandbox CSP, so
even a file a browser would render cannot run script in the server's origin).
"""

from __future__ import annotations

from starlette.requests import Request

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.requests import missing_parameter
from mltrail.server.artifacts import file_response
from mltrail.utils.artifact_paths import validate_artifact_path

MAX_PARAMETER_LENGTH = 4096
__all__ = ["file_path_parameter", "file_response", "query_parameter"]


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
