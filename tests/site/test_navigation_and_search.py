"""The built site's navigation and search, statically: heading-link tooltips in the page's language, the
contents folded by part with the current part open, the phones' "Contents" link and back-to-top links, the
search page's scripts and no-result text, and the synonyms (data validated, in every language's index)."""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest

from aigov_widgets.sphinx import search, ui
from tests.conftest import LANGUAGES, SITE, site_pages

PAGES = [page for page in site_pages() if page.parent != SITE]  # the language trees, not the root chooser
IDS = [str(page.relative_to(SITE)) for page in PAGES]

# Sphinx's permalink tooltips, per language (nl from our supplement, sphinx/locale/nl; fr from Sphinx).
TOOLTIPS = {
    "nl": {"Link naar deze kop", "Link naar deze definitie", "Link naar deze term", "Link naar deze tabel",
           "Link naar deze code", "Link naar deze afbeelding"},
    "fr": {"Lien vers cette rubrique", "Lien vers cette définition", "Lien vers ce terme", "Lien vers ce tableau",
           "Lien vers ce code", "Lien vers cette image"},
    "en": {"Link to this heading", "Link to this definition", "Link to this term", "Link to this table",
           "Link to this code", "Link to this image"},
}
_HEADERLINK_TITLE = re.compile(r'<a class="headerlink" href="[^"]*" title="([^"]*)"')
_PART = re.compile(r'<details class="nav-part"( open)?><summary><h2 class="caption">.*?</h2></summary>(.*?)</details>',
                   re.DOTALL)


def lang_of(page) -> str:
    return page.relative_to(SITE).parts[0]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_heading_link_tooltips_are_in_the_page_language(page):
    lang = lang_of(page)
    titles = {html_lib.unescape(title) for title in _HEADERLINK_TITLE.findall(page.read_text(encoding="utf-8"))}
    foreign = titles - TOOLTIPS[lang]
    assert not foreign, f"{page.relative_to(SITE)}: tooltips not in {lang}: {sorted(foreign)}"


HEADING_TOOLTIP = {"nl": "Link naar deze kop", "fr": "Lien vers cette rubrique", "en": "Link to this heading"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_heading_of_a_chapter_has_the_tooltip_of_its_language(site, lang):
    text = (SITE / lang / "roles.html").read_text(encoding="utf-8")
    assert set(_HEADERLINK_TITLE.findall(text)) == {HEADING_TOOLTIP[lang]}


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_contents_are_folded_by_part_with_the_current_part_open(page):
    text = page.read_text(encoding="utf-8")
    nav = text[text.index('<nav id="site-nav"'):]
    nav = nav[:nav.index("</nav>")]
    parts = _PART.findall(nav)
    assert len(parts) >= 5, "the contents are not folded by part"
    current = [bool(is_open) for is_open, body in parts if 'aria-current="page"' in body]
    if page.stem == "index" or not current:
        # The home page and the pages outside the parts (search, glossary page of the hidden toctree…).
        assert all(is_open for is_open, _ in parts) or not current
    else:
        assert current == [True], "the current part is not the one open part"
        assert sum(bool(is_open) for is_open, _ in parts) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contents_link_and_back_to_top(site, lang):
    texts = ui.strings(lang)
    chapter = (SITE / lang / "roles.html").read_text(encoding="utf-8")
    header = chapter[chapter.index("<header"):chapter.index("</header>")]
    assert f'<a class="contents-link" href="#site-nav">{html_lib.escape(texts["contents_link"], quote=False)}</a>' in header
    assert 'id="top"' in header
    assert chapter.count(f'<a href="#top">{html_lib.escape(texts["back_to_top"], quote=False)}</a>') == 3
    short = (SITE / lang / "search.html").read_text(encoding="utf-8")
    assert short.count('href="#top"') == 1, "a short page has only the contents' back-to-top link"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_loads_the_ranking_first_and_has_our_no_result_text(site, lang):
    text = (SITE / lang / "search.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script defer src="([^"]+)"', text)
    names = [src.rsplit("/", 1)[-1] for src in scripts]
    assert names.index("aigov-search.js") < names.index("searchtools.js")
    no_results = re.search(r'<div id="search-results" data-no-results="([^"]*)"></div>', text)
    assert no_results and html_lib.unescape(no_results.group(1)) == ui.strings(lang)["search_no_results"]
    assert (SITE / lang / "_static" / "aigov-search.js").is_file()


def load_index(lang: str) -> dict:
    text = (SITE / lang / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def files(entry) -> set[int]:
    return set() if entry is None else {entry} if isinstance(entry, int) else set(entry)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_synonyms_are_in_the_index_as_title_words_of_their_pages(site, lang):
    index = load_index(lang)
    assert index["aigov_index"] == search.index_stamp(lang), "the index was not rebuilt with these synonyms"
    language = search.search_language(lang)  # the same class (and stemmer) the build used
    number = {name: i for i, name in enumerate(index["docnames"])}
    answers = index["aigov_answers"]
    for group in search.load_synonyms(lang):
        for term in group["terms"]:
            words = {language.stem(word).lower() for word in language.split(term) if language.word_filter(word)}
            for page in group["pages"]:
                for word in words:
                    assert number[page] in files(index["titleterms"].get(word)), (lang, group["id"], term, word)
        if group["pages"]:
            assert any(set(group["pages"]) == {index["docnames"][i] for i in pages} for _, pages in answers)


def test_dutch_index_is_stemmed_as_the_browser_stems_the_query(site):
    """searchtools.js stems the query with Sphinx's dutch-stemmer.js (the old algorithm): the index must too."""
    index = load_index("nl")
    assert "kandidat" in index["terms"] or "kandidat" in index["titleterms"]  # "kandidaten", old algorithm
    assert not files(index["terms"].get("kandidaat")) and not files(index["titleterms"].get("kandidaat"))


def test_synonym_files_agree_across_languages():
    pages = {path.stem for path in (SITE.parent.parent / "book" / "en").glob("*.md")}
    search.check_languages(LANGUAGES, pages)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "non-empty list"),
    ({"group": [{"id": "a", "terms": ["x"]}]}, "at least two"),
    ({"group": [{"id": "a", "terms": ["x", "X"]}]}, "listed twice"),
    ({"group": [{"id": "A b", "terms": ["x", "y"]}]}, "id must be"),
    ({"group": [{"id": "a", "terms": ["x", "y"], "extra": 1}]}, "keys must be"),
    ({"group": [{"id": "a", "terms": ["x", "y"]}, {"id": "a", "terms": ["z", "w"]}]}, "used twice"),
    ({"group": [{"id": "a", "terms": ["x", "y"], "pages": "roles"}]}, "pages must be"),
])
def test_malformed_synonyms_are_refused(data, message):
    with pytest.raises(search.SynonymsError, match=message):
        search.validate(data, "test.toml")


def test_normalise_makes_spellings_equal():
    assert search.normalise("CV-screening") == search.normalise("cv screening") == "cv screening"
    assert search.normalise("analyse d’impact") == "analyse d impact"
