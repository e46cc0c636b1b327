"""Texts shared by the widgets (data/widget_ui.toml), per language."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _widget_ui() -> dict:
    with resources.files("aigov_widgets.data").joinpath("widget_ui.toml").open("rb") as handle:
        return tomllib.load(handle)


def widget_text(key: str, lang: str) -> str:
    """The widget interface text `key` in `lang` (KeyError for an unknown key or language)."""
    return _widget_ui()[key][lang]


def widget_text_keys() -> list[str]:
    return list(_widget_ui())


def colon(lang: str) -> str:
    """The colon between a label and its value: French puts a non-breaking space before it."""
    return "\u00a0: " if lang == "fr" else ": "
