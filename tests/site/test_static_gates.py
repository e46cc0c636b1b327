"""Static gates over EVERY built page of every language (they keep holding as the book grows)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import LANGUAGES, SITE, site_pages
from tests.gates import broken_internal_links, read_page, static_violations
from aigov_widgets.sphinx import ui

PAGES = site_pages()
IDS = [str(page.relative_to(SITE)) for page in PAGES]
# The one exemption: the 404 page is shown at any depth, so its <base href> may be root-relative (the path
# of aigov_site.base_url, see tools/site_assets.py); its other links are relative to that base.
NOT_FOUND = SITE / "404.html"


def _exempt(page: Path, problems: list[str]) -> list[str]:
    if page != NOT_FOUND:
        return problems
    return [problem for problem in problems if "<base href=" not in problem and not problem.startswith("<base> ")]


def test_every_language_was_built(site):
    for lang in LANGUAGES:
        assert (site / lang / "index.html").is_file(), lang
        assert (site / lang / "search.html").is_file(), lang
    assert len(PAGES) > 3 * 10


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_no_inline_code_style_or_third_party(page):
    assert _exempt(page, static_violations(page)) == []


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_internal_links_resolve(page, site):
    assert _exempt(page, broken_internal_links(page, site)) == []


def _lang_of(page: Path) -> str | None:
    first = page.relative_to(SITE).parts[0]
    return first if first in LANGUAGES else None


BOOK_PAGES = [page for page in PAGES if _lang_of(page)]
BOOK_IDS = [str(page.relative_to(SITE)) for page in BOOK_PAGES]


@pytest.mark.parametrize("page", BOOK_PAGES, ids=BOOK_IDS)
def test_language_of_page_switcher_and_hreflang(page):
    lang = _lang_of(page)
    facts = read_page(page)
    assert facts.html_lang == lang
    assert set(facts.switcher) == set(LANGUAGES), "the switcher offers every language"
    assert set(facts.alternates) == set(LANGUAGES), "a <link rel=alternate hreflang> per language"
    name = page.relative_to(SITE / lang).as_posix()
    for other in LANGUAGES:
        for href in (facts.switcher[other], facts.alternates[other]):
            assert not re.match(r"^[a-z]+:|^/", href), f"{href} must be relative (sub-path hosting)"
            target = (page.parent / href).resolve()
            assert target == (SITE / other / name).resolve(), f"{other} link of {name} goes to {href}"
            assert target.is_file()


# Texts of the interface that must never show in English on a Dutch or French page.
_ENGLISH_UI = sorted(
    {text for key, text in ui.strings("en").items()} - {ui.strings("nl")[k] for k in ui.strings("nl")}
    - {ui.strings("fr")[k] for k in ui.strings("fr")}
) + ["Link to this heading", "Skip to main content", "Search Results", "Back to top", "Toggle navigation"]


@pytest.mark.parametrize("page", [p for p in BOOK_PAGES if _lang_of(p) != "en"],
                         ids=[i for p, i in zip(BOOK_PAGES, BOOK_IDS) if _lang_of(p) != "en"])
def test_theme_texts_are_in_the_page_language(page):
    html = page.read_text(encoding="utf-8")
    # Only the theme around the article: the article may quote English titles.
    chrome = re.sub(r"<article.*?</article>", "", html, flags=re.S)
    leaked = [text for text in _ENGLISH_UI if text in chrome]
    assert not leaked, f"English interface texts on a {_lang_of(page)} page: {leaked}"
    assert 'title="Link to this' not in html


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_no_default_leftovers(page):
    html = page.read_text(encoding="utf-8")
    for leftover in ("©", "&#169;", "Copyright 2023", "Created using", "Jupyter Book community",
                     "My Jupyter Book", "Made with", "sphinx-book-theme", "Search this book"):
        assert leftover not in html, leftover


def test_site_root_offers_the_languages_as_plain_links(site):
    facts = read_page(site / "index.html")
    targets = {url for tag, url in facts.links if tag == "a"}
    assert targets == {f"{lang}/index.html" for lang in LANGUAGES}
    assert static_violations(site / "index.html") == []


def test_each_language_has_its_own_search_index(site):
    indexes = {lang: (site / lang / "searchindex.js").read_text(encoding="utf-8") for lang in LANGUAGES}
    assert len(set(indexes.values())) == len(LANGUAGES)
    for lang in ("nl", "fr"):
        stemmer = "dutch" if lang == "nl" else "french"
        assert (site / lang / "_static" / f"{stemmer}-stemmer.js").is_file()


def test_source_attribution_in_every_footer():
    title = ("Aanbevelingen voor een beleid inzake het gebruik van artificiële intelligentie bij de "
             "instellingen van het Brussels Hoofdstedelijk Gewest (2025). talent.brussels")
    for page in BOOK_PAGES:
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<footer'):]
        assert title in footer, page
        lead = ui.strings(_lang_of(page))["attribution_lead"]
        assert lead in footer, page
