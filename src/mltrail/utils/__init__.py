"""Leaf helpers with no store knowledge: validation and limits, run names, time."""
