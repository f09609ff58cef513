"""Artifact path rules: what a relative artifact path may contain, and keeping it inside a root.

Every artifact repository runs user-supplied paths through :func:`validate_artifact_path` and
then :func:`confine`, so no path (literal, percent-encoded or via a symlink) can reach a file
outside the artifact root it was given.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
_MAX_DECODE_ROUNDS = 4


def _reject(path: str, rule: str) -> MlflowException:
    return MlflowException(
        f"Invalid artifact path {path!r}: {rule}. Artifact paths are relative paths with "
        "'/' separators that stay inside the artifact root.",
        error_code=INVALID_PARAMETER_VALUE,
    )


def _decoded_forms(path: str) -> list[str]:
    """Every percent-decoding of the path (catches ``%2e%2e`` and double-encoded ``%252e``)."""
    forms: list[str] = []
    current = path
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(current)
        if decoded == current:
            break
        forms.append(decoded)
        current = decoded
    return forms


def _escapes(form: str) -> bool:
    """True if a (decoded) path could climb out of its root: '..', absolute, drive letter."""
    if form.startswith(("/", "\\")) or _DRIVE_LETTER.match(form):
        return True
    return ".." in re.split(r"[/\\]", form)


def validate_artifact_path(path: str) -> str:
    """Check a relative artifact path and return it normalised ('' means the root).

    Empty and ``.`` segments and trailing slashes are dropped: ``"./a//b/"`` becomes ``"a/b"``.
    Raises INVALID_PARAMETER_VALUE for ``..`` segments, absolute paths and drive letters
    (literal or percent-encoded), and for backslashes, ``?`` and NUL characters. ``#`` is a
    literal file-name character here (MLflow names image files ``images/a#b%step%...``); code
    that puts a path into a URL must percent-encode it.

    Percent-decoded forms are checked for traversal only: names such as MLflow's
    ``images/loss%step%3%timestamp%...`` stay valid even if their ``%xx`` looks like an escape.
    """
    if not isinstance(path, str):
        raise MlflowException(
            f"Invalid artifact path {path!r}: expected a string, got {type(path).__name__}.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if "\x00" in path:
        raise _reject(path, "NUL characters are not allowed")
    if "\\" in path:
        raise _reject(path, "backslashes are not allowed; use '/' as the separator")
    if "?" in path:
        raise _reject(path, "'?' is not allowed")
    if path.startswith("/"):
        raise _reject(path, "absolute paths are not allowed")
    if _DRIVE_LETTER.match(path):
        raise _reject(path, "drive letters are not allowed")
    if ".." in path.split("/"):
        raise _reject(path, "'..' segments are not allowed")
    if any(_escapes(form) for form in _decoded_forms(path)):
        raise _reject(path, "once percent-decoded it is absolute or has a '..' segment")
    return "/".join(segment for segment in path.split("/") if segment not in ("", "."))


def confine(root: Path, relative: str) -> Path:
    """``root / relative`` with symlinks resolved, refusing anything that lands outside ``root``.

    ``relative`` is validated first. The root itself need not exist yet.
    """
    clean = validate_artifact_path(relative)
    resolved_root = root.resolve()
    target = (resolved_root / clean).resolve() if clean else resolved_root
    if target != resolved_root and not target.is_relative_to(resolved_root):
        raise _reject(relative, "it resolves (through a symlink) to a place outside the root")
    return target


def join_artifact_path(*parts: str | None) -> str:
    """Join artifact path pieces with '/', skipping empty ones (no validation)."""
    return "/".join(p.strip("/") for p in parts if p and p.strip("/"))


def local_path_from_uri(uri: str) -> Path:
    """The local filesystem path behind a plain path or a ``file:`` URI.

    Accepts ``/abs/path``, ``relative/path``, ``file:///abs``, ``file:/abs`` and
    ``file://localhost/abs``; percent-escapes in ``file:`` URIs are decoded.
    """
    if not uri.startswith("file:"):
        return Path(os.path.expanduser(uri))
    parsed = urlparse(uri)
    if parsed.netloc not in ("", "localhost"):
        raise MlflowException(
            f"Unsupported file URI {uri!r}: the host {parsed.netloc!r} is not local. "
            "Use file:///absolute/path or a plain path.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if parsed.query or parsed.fragment:
        raise MlflowException(
            f"Unsupported file URI {uri!r}: query strings and fragments are not allowed.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return Path(unquote(parsed.path))
