"""The glossary of each language: the same concepts in NL, FR and EN, linked from the text of every page
with {term} roles, and every linked term defined in that language's glossary."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import LANGUAGES, ROOT

BOOK = ROOT / "book"
# Pages that need not link to the glossary: the glossary itself, the home page and the two pages
# generated from book/sources.toml.
UNLINKED_PAGES = {"glossary", "index", "bibliography", "reference-links"}

_ID = re.compile(r"^\.\. id: (\S+)\s*$")
_TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
_EXPLICIT_TARGET = re.compile(r"^.*<([^<>]+)>\s*$", re.DOTALL)


def glossary_block(lang: str) -> list[str]:
    """The lines inside the ```{glossary} directive of book/<lang>/glossary.md."""
    lines = (BOOK / lang / "glossary.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```{glossary}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    return lines[start + 1 : end]


def glossary_ids(lang: str) -> list[str]:
    return [m.group(1) for line in glossary_block(lang) if (m := _ID.match(line))]


def glossary_terms(lang: str) -> set[str]:
    """Every term line of the glossary (an entry may have several, e.g. a term and its abbreviation),
    case-folded as Sphinx compares them."""
    terms = set()
    for line in glossary_block(lang):
        if not line.strip() or line[0].isspace() or line.startswith(":") or line.startswith(".."):
            continue
        terms.add(line.strip().casefold())
    return terms


def term_targets(text: str) -> list[str]:
    """The glossary term each {term} role points to: the part in <...> if given, else the role text."""
    targets = []
    for role in _TERM_ROLE.findall(text):
        explicit = _EXPLICIT_TARGET.match(role)
        targets.append((explicit.group(1) if explicit else role).strip())
    return targets


def pages(lang: str) -> list[Path]:
    return sorted((BOOK / lang).rglob("*.md"))


def test_the_glossaries_define_the_same_concepts_in_every_language():
    reference = glossary_ids(LANGUAGES[0])
    assert reference, f"book/{LANGUAGES[0]}/glossary.md defines no term"
    assert len(reference) == len(set(reference)), f"duplicate ids in book/{LANGUAGES[0]}/glossary.md"
    for lang in LANGUAGES[1:]:
        ids = glossary_ids(lang)
        assert len(ids) == len(reference), f"{lang}: {len(ids)} glossary entries, {LANGUAGES[0]}: {len(reference)}"
        assert set(ids) == set(reference), f"{lang}: ids differ from {LANGUAGES[0]}: {set(ids) ^ set(reference)}"


def test_every_glossary_entry_has_a_term():
    for lang in LANGUAGES:
        block = glossary_block(lang)
        for i, line in enumerate(block):
            if _ID.match(line):
                following = block[i + 1] if i + 1 < len(block) else ""
                assert following.strip() and not following[0].isspace(), f"{lang}: {line} has no term line after it"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_links_to_the_glossary(lang):
    unlinked = [
        path.stem for path in pages(lang)
        if path.stem not in UNLINKED_PAGES and "{term}`" not in path.read_text(encoding="utf-8")
    ]
    assert not unlinked, f"book/{lang}: pages without a {{term}} link: {unlinked}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_linked_term_is_in_the_glossary_of_its_language(lang):
    defined = glossary_terms(lang)
    unknown = []
    for path in pages(lang):
        for target in term_targets(path.read_text(encoding="utf-8")):
            if target.casefold() not in defined:
                unknown.append(f"{path.name}: {target!r}")
    assert not unknown, f"book/{lang}: terms not in the glossary:\n" + "\n".join(unknown)


def test_term_targets_are_parsed_as_sphinx_does():
    text = "a {term}`AI system`, {term}`deployers <deployer>` and {term}`LLMs <LLM>`"
    assert term_targets(text) == ["AI system", "deployer", "LLM"]


# The A-Z index above each glossary: one link per initial letter, to the first term under that letter in
# the order Sphinx gives the sorted glossary (lower case, Unicode NFD: "é" files under "e").
INDEX_LEAD = {"nl": "Naar letter:", "fr": "Aller à la lettre\u00a0:", "en": "Go to letter:"}


def _sort_key(term: str) -> str:
    return unicodedata.normalize("NFD", term.lower())


def first_terms(lang: str) -> list[str]:
    """The main term of each entry (the first term line after its id), in the order of the entries."""
    block = glossary_block(lang)
    return [block[i + 1].strip() for i, line in enumerate(block) if _ID.match(line)]


def letter_index(lang: str) -> list[tuple[str, str]]:
    """(letter, first term under that letter), A to Z, for the sorted glossary of a language."""
    index: dict[str, str] = {}
    for term in sorted(first_terms(lang), key=_sort_key):
        letter = _sort_key(term)[0].upper()
        index.setdefault(letter, term)
    return list(index.items())


def index_row(lang: str) -> str:
    return INDEX_LEAD[lang] + " " + " · ".join(f"{{term}}`{letter} <{term}>`" for letter, term in letter_index(lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_glossary_has_an_a_to_z_index_to_the_first_term_of_each_letter(lang):
    text = (BOOK / lang / "glossary.md").read_text(encoding="utf-8")
    row = index_row(lang)
    assert len(letter_index(lang)) >= 15
    assert row in text.splitlines(), f"book/{lang}/glossary.md: the A-Z index should read\n{row}"
    assert text.index(row) < text.index("```{glossary}"), "the A-Z index comes before the glossary"
