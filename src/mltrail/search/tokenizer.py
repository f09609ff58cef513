"""Split a filter or order_by string into tokens, remembering where each one starts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from mltrail.search.errors import syntax_error


class Kind(Enum):
    WORD = "word"  # bare identifier or keyword: letters, digits, '_' and '.'
    NUMBER = "number"  # 1, -2.5, .5, 1e-3
    STRING = "string"  # 'single-quoted'
    DQ_STRING = "double-quoted"  # "double-quoted": a key or a string value
    BQ_NAME = "back-quoted"  # `back-quoted`: a key
    OP = "operator"  # = != < <= > >= and the invalid == <>
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","
    SEMICOLON = ";"
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str  # the raw characters of the token
    value: str  # decoded content (quotes removed and escapes resolved); == text otherwise
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        """The upper-cased word if this token is a bare SQL keyword, else None."""
        if self.kind is Kind.WORD and self.text.upper() in KEYWORDS:
            return self.text.upper()
        return None


KEYWORDS = frozenset({"AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "ASC", "DESC"})

_WORD = re.compile(r"[^\W\d][\w.]*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATORS = ("!=", "<=", ">=", "==", "<>", "=", "<", ">")
_PUNCTUATION = {"(": Kind.LPAREN, ")": Kind.RPAREN, ",": Kind.COMMA, ";": Kind.SEMICOLON}
_QUOTES = {"'": Kind.STRING, '"': Kind.DQ_STRING, "`": Kind.BQ_NAME}
_QUOTE_NAMES = {"'": "quoted string", '"': "double-quoted text", "`": "back-quoted key"}


def tokenize(text: str, what: str = "filter") -> list[Token]:
    """Tokens of ``text`` ending with an END token; bad characters raise INVALID_PARAMETER_VALUE."""
    tokens: list[Token] = []
    pos, length = 0, len(text)
    while pos < length:
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if char in _QUOTES:
            token = _quoted(text, pos, what)
        elif char in _PUNCTUATION:
            token = Token(_PUNCTUATION[char], char, char, pos, pos + 1)
        elif (number := _NUMBER.match(text, pos)) and not _is_binary_sign(tokens, char):
            token = _number(text, number, what)
        elif word := _WORD.match(text, pos):
            token = Token(Kind.WORD, word.group(), word.group(), pos, word.end())
        elif op := next((o for o in _OPERATORS if text.startswith(o, pos)), None):
            token = Token(Kind.OP, op, op, pos, pos + len(op))
        else:
            raise syntax_error(
                what, text, pos, f"unexpected {char!r}", _hint_for_char(text, pos, tokens)
            )
        tokens.append(token)
        pos = token.end
    tokens.append(Token(Kind.END, "", "", length, length))
    return tokens


def _is_binary_sign(tokens: list[Token], char: str) -> bool:
    """A '-' or '+' right after a key is part of an unquoted key (``val-loss``), not a sign."""
    return (
        char in "+-"
        and bool(tokens)
        and tokens[-1].kind is Kind.WORD
        and (tokens[-1].keyword is None)
    )


def _number(text: str, match: re.Match[str], what: str) -> Token:
    end = match.end()
    if end < len(text) and (text[end].isalnum() or text[end] in "_."):
        raise syntax_error(
            what, text, match.start(), f"malformed number {text[match.start() : end + 1]!r}..."
        )
    return Token(Kind.NUMBER, match.group(), match.group(), match.start(), end)


def _quoted(text: str, start: int, what: str) -> Token:
    """A quoted token; the quote is escaped by doubling it or by a backslash before it."""
    quote = text[start]
    pieces: list[str] = []
    pos = start + 1
    while pos < len(text):
        char = text[pos]
        if char == quote:
            if text.startswith(quote, pos + 1):
                pieces.append(quote)
                pos += 2
                continue
            return Token(_QUOTES[quote], text[start : pos + 1], "".join(pieces), start, pos + 1)
        if char == "\\" and text.startswith(quote, pos + 1):
            pieces.append(quote)
            pos += 2
            continue
        pieces.append(char)
        pos += 1
    raise syntax_error(
        what, text, start, f"unterminated {_QUOTE_NAMES[quote]}", f"Close it with {quote}."
    )


def _hint_for_char(text: str, pos: int, tokens: list[Token]) -> str:
    char = text[pos]
    if tokens and tokens[-1].kind is Kind.WORD and tokens[-1].end == pos and char not in "!=<>":
        tail = _KEY_TAIL.match(text, pos)
        key = tokens[-1].text + (tail.group() if tail else "")
        return f"Quote keys containing {char!r} with backticks: {quote_key_suggestion(key)}."
    if char == "!":
        return "Use '!=' for 'not equal'."
    return "Quote keys containing special characters with backticks: params.`my key`."


_KEY_TAIL = re.compile(r"[^\s=!<>'\"`(),;]*")


def quote_key_suggestion(identifier: str) -> str:
    """``metrics.val-loss`` -> ``metrics.`val-loss` ``: how to write a key that needs quoting."""
    prefix, dot, key = identifier.partition(".")
    return f"{prefix}.`{key}`" if dot else f"`{identifier}`"
