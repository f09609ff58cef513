"""The search grammar: parse filter and order_by strings once into a small AST.

Back ends: ``mltrail.store.tracking.sql.search_sql`` compiles the AST to SQL;
``mltrail.search.evaluate`` evaluates it in memory. Grammars are tables (``grammar.py``):
``runs.py`` and ``experiments.py`` define the tracking ones, ``registry.py`` the registry
ones.
"""

from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.experiments import (
    experiment_order_with_defaults,
    parse_experiment_filter,
    parse_experiment_order_by,
)
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.search.registry import (
    parse_model_version_filter,
    parse_model_version_order_by,
    parse_registered_model_filter,
    parse_registered_model_order_by,
)
from mltrail.search.runs import parse_run_filter, parse_run_order_by, run_order_with_defaults

__all__ = [
    "Comparison",
    "OrderKey",
    "decode_page_token",
    "encode_page_token",
    "experiment_order_with_defaults",
    "parse_experiment_filter",
    "parse_experiment_order_by",
    "parse_model_version_filter",
    "parse_model_version_order_by",
    "parse_registered_model_filter",
    "parse_registered_model_order_by",
    "parse_run_filter",
    "parse_run_order_by",
    "run_order_with_defaults",
]
