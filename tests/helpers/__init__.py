"""Helpers shared by several test folders (import as ``helpers.servers``)."""
