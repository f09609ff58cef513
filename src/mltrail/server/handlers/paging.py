"""Small helpers shared by the search handlers."""

from __future__ import annotations

from typing import Any

from mltrail.utils.validation import SEARCH_MAX_RESULTS_THRESHOLD, validate_max_results


def max_results_in_range(value: Any, limit: int = SEARCH_MAX_RESULTS_THRESHOLD) -> int:
    """``max_results`` checked to be in 1..limit (400 otherwise)."""
    return validate_max_results(value, limit)


def with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    """``body`` plus ``next_page_token`` when there is a next page."""
    if token:
        body["next_page_token"] = token
    return body
