"""Fixtures of the search tests; the data set itself lives in search_data.py."""

from search_data import search_db, sqlite_db

__all__ = ["search_db", "sqlite_db"]
