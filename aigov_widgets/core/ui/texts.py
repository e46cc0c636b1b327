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


def plural(key: str, count: int, lang: str) -> str:
    """`key`_one or `key`_other by the language's rule (French counts 0 and 1 as singular), with {count}."""
    singular = count in (0, 1) if lang == "fr" else count == 1
    return widget_text(f"{key}_{'one' if singular else 'other'}", lang).format(count=count)
