"""The glossary of each language: the same concepts in NL, FR and EN, linked from the text of every page
with {term} roles, and every linked term defined in that language's glossary."""

from __future__ import annotations

import re
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
