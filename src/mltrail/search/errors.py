"""Error messages for search strings that quote the input and point at the offending character."""

from __future__ import annotations

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException


def syntax_error(
    what: str, text: str, position: int | None, problem: str, hint: str = ""
) -> MlflowException:
    """Build the INVALID_PARAMETER_VALUE error for a bad ``what`` (e.g. "filter") string.

    With a ``position`` the message names the character and draws a caret under it::

        Invalid filter "metrics.acc >> 0.5": unexpected '>' at character 13. Expected a value ...
          metrics.acc >> 0.5
                      ^
    """
    message = f'Invalid {what} "{text}": {problem}'
    if position is not None:
        message += f" at character {position}"
    message += "."
    if hint:
        message += f" {hint}"
    if position is not None:
        shown = text.translate(_BLANKS)
        message += f"\n  {shown}\n  {' ' * position}^"
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\v": " ", "\f": " "})
