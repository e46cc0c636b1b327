"""Texts shared by the widgets (data/widget_ui.toml), per language."""

from __future__ import annotations

from aigov_widgets.core.law import data


def _widget_ui() -> dict:
    return data.load("widget_ui.toml")


def widget_text(key: str, lang: str) -> str:
    """The widget interface text `key` in `lang` (KeyError for an unknown key or language)."""
    return _widget_ui()[key][lang]


def widget_text_keys() -> list[str]:
    return list(_widget_ui())


def colon(lang: str) -> str:
    """The colon between a label and its value: French puts a non-breaking space before it."""
    return "\u00a0: " if lang == "fr" else ": "
