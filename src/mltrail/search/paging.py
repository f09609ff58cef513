"""Offset-based page tokens: base64 of the JSON ``{"offset": N}``, as MLflow issues them."""

from __future__ import annotations

import base64
import binascii
import json

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException


def encode_page_token(offset: int) -> str:
    """The token that resumes a search at row ``offset``."""
    return base64.b64encode(json.dumps({"offset": offset}).encode()).decode("ascii")


def decode_page_token(page_token: str | None) -> int:
    """The offset in ``page_token``: 0 for None or "", INVALID_PARAMETER_VALUE for garbage.

    Tokens in the URL-safe base64 alphabet and without padding are accepted too.
    """
    if not page_token:
        return 0
    try:
        text = page_token.strip().replace("-", "+").replace("_", "/")
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        offset = json.loads(raw)["offset"]
    except (binascii.Error, ValueError, TypeError, KeyError, AttributeError):
        offset = None
    if type(offset) is not int or offset < 0:
        raise MlflowException(
            f"Invalid page token {page_token!r}: it was not issued by a previous search. Pass "
            "the next_page_token of the previous response unchanged, or omit it to start over.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return offset
