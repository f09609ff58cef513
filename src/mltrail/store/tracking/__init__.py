"""Tracking stores: the abstract protocol and its back ends (SQL now; file and REST to come)."""
