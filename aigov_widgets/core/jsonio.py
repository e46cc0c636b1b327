"""One strict JSON reader for everything that comes from outside: imported files, stored state, the
`aigov` command's input. Duplicate keys are refused (a duplicated column must not silently change an
answer), and size, nesting depth and number length are bounded before Python's parser can hit its own
limits (a 10^5-deep array would otherwise end in a RecursionError)."""

from __future__ import annotations

import json

MAX_CHARS = 1_000_000
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100


class JSONError(ValueError):
    """Input that is not acceptable JSON; `reason` is a stable id ("too_large", "not_json", "too_deep",
    "duplicate_key", "number_too_long") and the message names the place."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings, read in one pass without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise JSONError("duplicate_key", f"duplicate key {key[:80]!r}")
        seen[key] = value
    return seen


def _number(text: str) -> int | float:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JSONError("number_too_long", f"a number of {len(text)} characters")
    return float(text) if any(c in text for c in ".eE") else int(text)


def loads(text: str, *, max_chars: int = MAX_CHARS, max_depth: int = MAX_DEPTH) -> object:
    """Parse `text` strictly; JSONError (with `reason`) on anything unacceptable."""
    if len(text) > max_chars:
        raise JSONError("too_large", f"more than {max_chars} characters")
    if _depth(text) > max_depth:
        raise JSONError("too_deep", f"nested more than {max_depth} levels deep")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_number, parse_float=_number,
                          parse_constant=_refuse_constant)
    except JSONError:
        raise
    except ValueError as error:
        where = f" at line {error.lineno}, column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise JSONError("not_json", f"malformed JSON{where}: {message}") from None


def _refuse_constant(name: str) -> None:
    raise JSONError("not_json", f"{name} is not JSON")
