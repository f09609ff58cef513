"""A small recursive-descent parser for filter and order_by strings, driven by a ``Grammar``.

Every violation raises ``MlflowException(INVALID_PARAMETER_VALUE)`` whose message quotes the
input, points at the offending character and says how to fix it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search.ast import Comparison, ComparisonValue, OrderKey
from mltrail.search.errors import syntax_error
from mltrail.search.grammar import LIST_OPS, NULL_OPS, EntityRule, Grammar, KeyRule, ValueKind
from mltrail.search.tokenizer import Kind, Token, quote_key_suggestion, tokenize

_INT64 = 2**63
_INTEGER_TEXT = re.compile(r"[+-]?\d+")
_QUOTED_VALUE = (Kind.STRING, Kind.DQ_STRING)
_QUOTED_KEY = (Kind.BQ_NAME, Kind.DQ_STRING)


@dataclass(frozen=True, slots=True)
class _Identifier:
    entity: EntityRule
    key: str  # canonical
    start: int
    end: int
    raw: str  # as written


class _Cursor:
    """Walks the tokens of one string and builds errors that point into it."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.what = what
        self.tokens = tokenize(text, what)
        self.index = 0

    def peek(self) -> Token:
        return self.tokens[self.index]

    def next(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not Kind.END:
            self.index += 1
        return token

    def error(self, position: int, problem: str, hint: str = "") -> MlflowException:
        return syntax_error(self.what, self.text, position, problem, hint)

    def unexpected(self, token: Token, hint: str = "") -> MlflowException:
        if token.kind is Kind.END:
            return self.error(token.start, "unexpected end of input", hint)
        return self.error(token.start, f"unexpected {token.text!r}", hint)


# ---- filters --------------------------------------------------------------------------------


def parse_filter(grammar: Grammar, filter_string: str | None) -> tuple[Comparison, ...]:
    """The AND-ed comparisons of ``filter_string``; empty or None means no condition."""
    if not filter_string:
        return ()
    if not isinstance(filter_string, str):
        raise MlflowException(
            f"Invalid filter {filter_string!r}: the filter must be a string.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if not filter_string.strip():
        raise syntax_error(
            "filter",
            filter_string,
            None,
            "the filter is blank",
            "Pass an empty filter to match everything, or a clause such as "
            f"{grammar.example_key()} = 'x'.",
        )
    cursor = _Cursor(filter_string, "filter")
    comparisons = [_clause(cursor, grammar)]
    while (token := cursor.next()).kind is not Kind.END:
        if token.keyword == "AND":
            comparisons.append(_clause(cursor, grammar))
        elif token.keyword == "OR":
            raise cursor.unexpected(token, "Join clauses with AND; OR is not supported.")
        elif token.kind is Kind.SEMICOLON:
            raise cursor.error(
                token.start,
                "the filter contains multiple expressions separated by ';'",
                "Provide a single AND-ed expression list, e.g. "
                f"metrics.acc > 0.5 AND {grammar.example_key()} = 'x'.",
            )
        else:
            raise cursor.unexpected(token, "Join clauses with AND.")
    return tuple(comparisons)


def _clause(cursor: _Cursor, grammar: Grammar) -> Comparison:
    identifier = _identifier(cursor, grammar, grammar.entities)
    op, op_token = _comparator(cursor, grammar, identifier)
    rule = identifier.entity.rule(identifier.key)
    if op not in rule.ops:
        raise cursor.error(
            op_token.start,
            f"comparator {op!r} is not supported for {identifier.entity.label} {identifier.key!r}",
            _unsupported_op_hint(grammar, rule, op),
        )
    value = _value(cursor, rule, op, identifier)
    return Comparison(identifier.entity.name, identifier.key, op, value)


# ---- identifiers ----------------------------------------------------------------------------


def _identifier(
    cursor: _Cursor, grammar: Grammar, entities: Mapping[str, EntityRule]
) -> _Identifier:
    token = cursor.next()
    start, end = token.start, token.end
    prefixed = False
    if token.kind is Kind.WORD and token.keyword is None:
        prefix, dot, key = token.text.partition(".")
        entity_name = grammar.default_entity
        if not dot:
            key = token.text
        else:
            prefixed = True
            entity_name = _entity_name(cursor, grammar, prefix, token)
            if not key:
                quoted = cursor.peek()
                if quoted.kind not in _QUOTED_KEY or quoted.start != token.end:
                    raise cursor.error(
                        token.end, f"missing key after {token.text!r}", _example_keys(grammar)
                    )
                key, end = cursor.next().value, quoted.end
    elif token.kind in _QUOTED_KEY:
        entity_name, key = grammar.default_entity, token.value
    elif token.kind is Kind.LPAREN:
        raise cursor.error(
            token.start,
            "parentheses are only allowed around IN lists",
            "Write the clauses one after another joined with AND, without grouping.",
        )
    elif token.keyword == "NOT":
        raise cursor.error(token.start, "NOT is only supported in 'NOT IN' and 'IS NOT NULL'")
    else:
        found = "end of input" if token.kind is Kind.END else repr(token.text)
        raise cursor.error(token.start, f"expected a key, found {found}", _example_keys(grammar))
    if not key:
        raise cursor.error(start, "empty key", _example_keys(grammar))
    entity = entities.get(entity_name)
    if entity is None:
        raise cursor.error(
            start,
            f"{grammar.entities[entity_name].label} keys are not supported here",
            f"Valid keys: {_describe_keys(entities)}.",
        )
    canonical = entity.canonical_key(key)
    if canonical is None:
        hint = _key_hint(grammar, entity, key, prefixed=prefixed)
        raise cursor.error(start, f"invalid {entity.label} key {key!r}", hint)
    return _Identifier(entity, canonical, start, end, cursor.text[start:end])


def _entity_name(cursor: _Cursor, grammar: Grammar, prefix: str, token: Token) -> str:
    name = grammar.prefixes.get(prefix)
    if name is None:
        valid = ", ".join(sorted(grammar.prefixes))
        raise cursor.error(
            token.start,
            f"invalid entity prefix {prefix!r}",
            f"Valid prefixes: {valid} (a key is split at its first '.', so dotted keys need "
            f"a prefix, e.g. tags.mlflow.runName).",
        )
    return name


def _key_hint(grammar: Grammar, entity: EntityRule, key: str, *, prefixed: bool) -> str:
    hint = f"Valid {entity.label} keys: {', '.join(entity.valid_keys())}."
    close = difflib.get_close_matches(key, entity.valid_keys(), n=1)
    if close:
        hint = f"Did you mean {close[0]!r}? {hint}"
    open_entities = [e for e in grammar.entities.values() if e.any_key is not None]
    if not prefixed and open_entities:
        options = " or ".join(e.show(key) for e in open_entities)
        hint += f" For a {'/'.join(e.label for e in open_entities)}, write {options}."
    return hint


def _example_keys(grammar: Grammar) -> str:
    return f"Write a key such as {_describe_keys(grammar.entities, limit=3)}."


def _describe_keys(entities: Mapping[str, EntityRule], limit: int | None = None) -> str:
    shown: list[str] = []
    for entity in entities.values():
        if entity.any_key is not None:
            shown.append(entity.show("<key>"))
        else:
            shown.extend(entity.show(k) for k in entity.keys)
    return ", ".join(shown[:limit])


# ---- comparators ----------------------------------------------------------------------------


def _comparator(cursor: _Cursor, grammar: Grammar, identifier: _Identifier) -> tuple[str, Token]:
    token = cursor.next()
    if token.kind is Kind.OP:
        if token.text == "==":
            raise cursor.error(token.start, "'==' is not a comparator", "Use '=' to test equality.")
        if token.text == "<>":
            raise cursor.error(token.start, "'<>' is not a comparator", "Use '!=' instead.")
        return token.text, token
    keyword = token.keyword
    words = [token]
    if keyword == "NOT":
        words.append(cursor.next())
        if words[-1].keyword != "IN":
            raise cursor.unexpected(words[-1], "Expected 'IN' after 'NOT'.")
        op = "NOT IN"
    elif keyword == "IS":
        words.append(cursor.next())
        if words[-1].keyword == "NOT":
            words.append(cursor.next())
        if words[-1].keyword != "NULL":
            raise cursor.unexpected(words[-1], "Expected 'IS NULL' or 'IS NOT NULL'.")
        op = "IS NOT NULL" if len(words) == 3 else "IS NULL"
    elif keyword in ("LIKE", "ILIKE", "IN"):
        op = keyword
    else:
        raise cursor.error(
            token.start,
            f"expected a comparator after {identifier.raw!r}, found "
            + ("end of input" if token.kind is Kind.END else repr(token.text)),
            _comparator_hint(cursor, identifier, token),
        )
    if grammar.upper_case_keywords_only:
        for word in words:
            if word.text != word.text.upper():
                raise cursor.error(
                    word.start,
                    f"comparator {word.text!r} must be upper case",
                    f"Write {op} in upper case.",
                )
    return op, token


def _comparator_hint(cursor: _Cursor, identifier: _Identifier, token: Token) -> str:
    split_key = token.kind in (Kind.WORD, Kind.NUMBER) and token.keyword is None
    if not split_key:
        return "Comparators: =, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL."
    if identifier.raw[-1:] in "`\"":
        return "Put the whole key inside one pair of back quotes."
    # A key with a space or '-' was split into several tokens: suggest quoting all of it.
    stop = next(
        (
            t.start
            for t in cursor.tokens[cursor.index - 1 :]
            if t.kind in (Kind.OP, Kind.STRING, Kind.END) or t.keyword is not None
        ),
        len(cursor.text),
    )
    whole = cursor.text[identifier.start : stop].strip()
    return f"Quote keys containing spaces or '-' with backticks: {quote_key_suggestion(whole)}."


def _unsupported_op_hint(grammar: Grammar, rule: KeyRule, op: str) -> str:
    hint = f"Use one of: {', '.join(sorted(rule.ops))}."
    if op in LIST_OPS or op in NULL_OPS:
        supporting: list[str] = []
        for entity in grammar.entities.values():
            if entity.any_key is not None and op in entity.any_key.ops:
                supporting.append(entity.show("<key>"))
            supporting.extend(entity.show(k) for k, r in entity.keys.items() if op in r.ops)
        hint = f"{op} is only supported for {', '.join(supporting)}. {hint}"
    return hint


# ---- values ---------------------------------------------------------------------------------


def _value(cursor: _Cursor, rule: KeyRule, op: str, identifier: _Identifier) -> ComparisonValue:
    if op in NULL_OPS:
        return None
    if op in LIST_OPS:
        return _value_list(cursor, rule, op, identifier)
    token = cursor.next()
    example = f"{identifier.raw} {op}"
    if token.kind in (Kind.END, Kind.OP, Kind.SEMICOLON, Kind.COMMA, Kind.RPAREN) or (
        token.keyword in ("AND", "OR")
    ):
        raise cursor.unexpected(token, f"Expected a value after {op!r}.")
    if rule.value in (ValueKind.NUMBER, ValueKind.INTEGER):
        return _number_value(cursor, rule, token, example, identifier)
    if token.kind in _QUOTED_VALUE:
        return _string_value(cursor, rule, token)
    if token.keyword == "NULL":
        hint = f"To test for a missing value write {identifier.raw} IS NULL (params and tags)."
    elif token.kind is Kind.BQ_NAME:
        hint = (
            "Back quotes are for keys; quote string values with single quotes: "
            f"{example} '{token.value}'."
        )
    else:
        hint = f"Quote string values: {example} '{token.text}'."
    raise cursor.error(
        token.start, f"expected {rule.value.value} value, found {token.text!r}", hint
    )


def _number_value(
    cursor: _Cursor, rule: KeyRule, token: Token, example: str, identifier: _Identifier
) -> int | float:
    label = f"{identifier.entity.label} {identifier.key!r}"
    if token.kind in _QUOTED_VALUE:
        hint = f"Values of {label} are numbers."
        if _parse_number(token.value) is not None:
            hint = f"Remove the quotes: {example} {token.value.strip()}."
        raise cursor.error(token.start, f"expected a number for {label}, found a string", hint)
    number = _parse_number(token.text) if token.kind is Kind.NUMBER else None
    if number is None:
        raise cursor.error(
            token.start,
            f"expected a number for {label}, found {token.text!r}",
            f"e.g. {example} 0.5",
        )
    if rule.value is ValueKind.INTEGER and not isinstance(number, int):
        raise cursor.error(
            token.start, f"expected an integer for {label}, found {token.text!r}", ""
        )
    if rule.bounded and not -_INT64 <= number < _INT64:
        raise cursor.error(token.start, f"number {token.text} is out of range for {label}", "")
    return number


def _parse_number(text: str) -> int | float | None:
    text = text.strip()
    if _INTEGER_TEXT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            return None
    try:
        number = float(text)
    except ValueError:
        return None
    return (
        None if math.isnan(number) or text.lower().lstrip("+-") in ("inf", "infinity") else number
    )


def _string_value(cursor: _Cursor, rule: KeyRule, token: Token) -> str:
    if rule.value is ValueKind.INTEGER_STRING:
        text = token.value.strip()
        if not _INTEGER_TEXT.fullmatch(text):
            raise cursor.error(
                token.start, f"expected an integer id, found {token.text}", "e.g. '1'."
            )
        return str(int(text))
    return token.value


def _value_list(
    cursor: _Cursor, rule: KeyRule, op: str, identifier: _Identifier
) -> tuple[str, ...]:
    samples = ("1", "2") if rule.value is ValueKind.INTEGER_STRING else ("a", "b")
    example = f"{identifier.raw} {op} ('{samples[0]}', '{samples[1]}')"
    opening = cursor.next()
    if opening.kind is not Kind.LPAREN:
        raise cursor.unexpected(
            opening, f"Expected a parenthesised list of quoted strings: {example}."
        )
    values: list[str] = []
    while True:
        token = cursor.next()
        if token.kind is Kind.RPAREN and not values:
            raise cursor.error(
                token.start, f"empty {op} list", f"List at least one value: {example}."
            )
        if token.kind not in _QUOTED_VALUE:
            raise cursor.unexpected(token, f"{op} lists hold quoted strings only: {example}.")
        values.append(_string_value(cursor, rule, token))
        separator = cursor.next()
        if separator.kind is Kind.RPAREN:
            return tuple(values)
        if separator.kind is not Kind.COMMA:
            raise cursor.unexpected(
                separator, f"Separate list values with ',' and close with ')': {example}."
            )


# ---- order_by -------------------------------------------------------------------------------


def parse_order_by(grammar: Grammar, order_by: Sequence[str] | None) -> tuple[OrderKey, ...]:
    """The order keys of ``order_by`` elements such as ``"metrics.acc DESC"``."""
    if not order_by:
        return ()
    if isinstance(order_by, str):
        order_by = [order_by]
    keys: list[OrderKey] = []
    for clause in order_by:
        if not isinstance(clause, str) or not clause.strip():
            raise MlflowException(
                f"Invalid order_by clause {clause!r}: expected a key and an optional ASC or DESC, "
                "e.g. 'metrics.acc DESC'.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        keys.append(_order_key(grammar, clause))
    seen: set[tuple[str, str]] = set()
    for key in keys:
        if (key.entity, key.key) in seen:
            raise MlflowException(
                f"`order_by` contains duplicate fields: {list(order_by)}. "
                f"Order by each key at most once ({key.entity} {key.key!r} appears twice).",
                error_code=INVALID_PARAMETER_VALUE,
            )
        seen.add((key.entity, key.key))
    return tuple(keys)


def _order_key(grammar: Grammar, clause: str) -> OrderKey:
    cursor = _Cursor(clause, "order_by clause")
    identifier = _identifier(cursor, grammar, grammar.order_entities)
    token = cursor.next()
    ascending = True
    if token.keyword in ("ASC", "DESC"):
        ascending = token.keyword == "ASC"
        token = cursor.next()
        if token.kind is not Kind.END:
            raise cursor.unexpected(
                token, "Nothing may follow ASC or DESC; put each key in its own order_by element."
            )
    elif token.kind is not Kind.END:
        hint = "Expected ASC or DESC after the key."
        if token.kind is Kind.WORD and cursor.peek().kind is not Kind.END:
            hint += " " + _comparator_hint(cursor, identifier, token)
        raise cursor.unexpected(token, hint)
    return OrderKey(identifier.entity.name, identifier.key, ascending)
