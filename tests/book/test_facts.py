"""No fact of the source guide may silently drop out: every entry of the fact inventory
(tests/facts/*.toml, drawn up from the Dutch source) is found in its page in every language."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.book.test_dpo_toolkit import text as page_text
from tests.conftest import LANGUAGES, ROOT

FACTS_DIR = ROOT / "tests" / "facts"


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return re.sub(r"\s+", " ", text).casefold()


def inventory() -> list[dict]:
    facts = []
    for path in sorted(FACTS_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            facts += [fact | {"file": path.name} for fact in tomllib.load(handle).get("fact", [])]
    return facts


FACTS = inventory()


def test_the_inventory_is_substantial_and_its_ids_unique():
    ids = [fact["id"] for fact in FACTS]
    assert len(ids) == len(set(ids)), "duplicate fact ids"
    assert len(FACTS) >= 100


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_fact_is_in_its_page(lang):
    pages: dict[str, str] = {}
    missing = []
    for fact in FACTS:
        if fact["page"] not in pages:     # the page as shown: with the text of its aigov-document directives
            pages[fact["page"]] = normalise(page_text(lang, fact["page"]))
        if normalise(fact[lang]) not in pages[fact["page"]]:
            missing.append(f"{fact['id']} ({fact['page']}): {fact[lang]!r}")
    assert not missing, f"{len(missing)} facts missing from book/{lang}:\n" + "\n".join(missing)
