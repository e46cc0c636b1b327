"""The book's interface texts (aigov_widgets/data/ui.toml), per language."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def load_ui() -> dict:
    """Read ui.toml once: {key: {lang: text}} plus the `languages` and `toc` tables."""
    with resources.files("aigov_widgets.data").joinpath("ui.toml").open("rb") as handle:
        return tomllib.load(handle)


def languages() -> list[str]:
    """The book's languages in display order; the first is the source language."""
    return list(load_ui()["languages"]["order"])


def language_names() -> dict[str, str]:
    """Each language's name in that language (an endonym), for the switcher."""
    return dict(load_ui()["languages"]["names"])


def strings(lang: str) -> dict[str, str]:
    """Every interface text in `lang`, keyed by id (the `toc` captions excluded)."""
    return {
        key: table[lang]
        for key, table in load_ui().items()
        if key not in ("languages", "toc")
    }


def toc_caption(caption_id: str, lang: str) -> str:
    """The text of a table-of-contents part caption in `lang`."""
    return load_ui()["toc"][caption_id][lang]
