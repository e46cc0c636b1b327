"""CSV files that open correctly in Excel with a Belgian locale (UTF-8 with BOM, ";", CRLF), and whose cells
no spreadsheet reads as a formula: one writer for every tool and export that hands out a table."""

from __future__ import annotations

import csv
import io

# A cell starting with one of these would be read as a formula (CSV injection): it gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as inert cell text: None is empty, booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: list, rows: list[list], *, quote_all: bool = False) -> str:
    """The header and rows as CSV text (every cell made inert), with the BOM Excel needs for UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow([cell(value) for value in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return "\ufeff" + buffer.getvalue()
