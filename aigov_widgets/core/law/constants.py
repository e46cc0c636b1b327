"""Constants every part of the package shares, defined once. The page script reads the ones it needs from
the page (data attributes written by the frame), never from a copy of its own."""

from __future__ import annotations

import datetime

LANGUAGES = ("nl", "fr", "en")
UNSURE = "unsure"
ANSWER_VALUES = (True, False, UNSURE)
# How answers travel in form values and links: y / n / u.
ANSWER_CODES = {True: "y", False: "n", UNSURE: "u"}
CODE_ANSWERS = {code: value for value, code in ANSWER_CODES.items()}


def parse_date(value: object) -> datetime.date | None:
    """A real calendar day written YYYY-MM-DD, else None (so the 31st of February or a 13th month is refused)."""
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def is_date(value: object) -> bool:
    return parse_date(value) is not None
