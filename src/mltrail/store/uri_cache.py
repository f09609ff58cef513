"""One store object per URI per process, shared by the tracking and registry resolvers."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar
from urllib.parse import urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

T = TypeVar("T")


def uri_scheme(uri: str) -> str:
    """The lower-case scheme; "" for plain paths (``C:\\path`` parses as scheme "c")."""
    scheme = urlparse(uri).scheme.lower()
    return "" if len(scheme) == 1 else scheme


def absolute_sqlite_uri(uri: str) -> str:
    """``sqlite:///relative.db`` made absolute, so a later ``chdir`` keeps the same database."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix):
        return uri  # in-memory ("sqlite://") or already unusual: leave it to the store
    rest = uri[len(prefix) :]
    path, sep, query = rest.partition("?")
    if not path or path.startswith("/") or path == ":memory:":
        return uri
    return f"{prefix}{os.path.abspath(path)}{sep}{query}"


def cache_key(uri: str) -> str:
    return absolute_sqlite_uri(uri) if uri_scheme(uri) == "sqlite" else uri


class StoreCache(Generic[T]):
    """Creates a store with ``create(uri)`` on first use of a URI and then reuses it."""

    def __init__(self, kind: str, create: Callable[[str], T]) -> None:
        self._kind = kind
        self._create = create
        self._lock = threading.Lock()
        self._stores: dict[str, T] = {}

    def get(self, uri: str) -> T:
        if not isinstance(uri, str) or not uri.strip():
            raise MlflowException(
                f"Invalid {self._kind} URI {uri!r}: expected a non-empty string such as "
                "'sqlite:///mlflow.db'.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        key = cache_key(uri)
        store = self._stores.get(key)
        if store is not None:
            return store
        with self._lock:
            store = self._stores.get(key)
            if store is None:
                store = self._create(key)
                self._stores[key] = store
        return store

    def clear(self) -> None:
        with self._lock:
            self._stores.clear()
