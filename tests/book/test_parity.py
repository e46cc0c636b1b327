"""Three languages, one structure: the page trees, headings and directives of book/nl, book/fr and
book/en match, and every page is in the shared table of contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import LANGUAGES, ROOT

BOOK = ROOT / "book"
SOURCE = LANGUAGES[0]


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return files


def pages(lang: str) -> set[str]:
    return {path.relative_to(BOOK / lang).with_suffix("").as_posix() for path in (BOOK / lang).rglob("*.md")}


def test_every_language_has_exactly_the_pages_of_the_table_of_contents():
    expected = set(toc_files())
    assert len(expected) == len(toc_files()), "a page is listed twice in _toc.yml"
    for lang in LANGUAGES:
        assert pages(lang) == expected, f"book/{lang}: missing {expected - pages(lang)}, extra {pages(lang) - expected}"


def test_figures_exist_in_every_language():
    figures = {lang: {p.name for p in (BOOK / lang).rglob("*.svg")} for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert figures[lang] == figures[SOURCE], f"{lang}: {figures[lang] ^ figures[SOURCE]}"


_FENCE = re.compile(r"^(```+|:::+)\s*\{([\w:-]+)\}(.*)$")


def outline(path: Path) -> list[str]:
    """The page's skeleton: heading levels, directives (with their language-independent argument for
    aigov-* directives) and MyST targets, in order."""
    skeleton = []
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        fence = _FENCE.match(line.strip())
        if fence:
            name = fence.group(2)
            argument = fence.group(3).strip() if name.startswith("aigov-") else ""
            skeleton.append(f"{{{name}}} {argument}".strip())
            continue
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = re.match(r"^(#{1,6})\s", line)
        if heading:
            skeleton.append("h" + str(len(heading.group(1))))
        target = re.match(r"^\(([\w.:-]+)\)=\s*$", line)
        if target:
            skeleton.append(f"({target.group(1)})=")
    return skeleton


@pytest.mark.parametrize("page", toc_files())
def test_same_headings_directives_and_targets_in_every_language(page):
    reference = outline(BOOK / SOURCE / f"{page}.md")
    assert reference.count("h1") == 1, f"{SOURCE}/{page}.md must have exactly one H1"
    for lang in LANGUAGES[1:]:
        assert outline(BOOK / lang / f"{page}.md") == reference, f"{lang}/{page}.md differs from {SOURCE}"
