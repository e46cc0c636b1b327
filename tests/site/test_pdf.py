"""The PDF edition (tools/build_pdf.py): one PDF per language, built with the site, linked from every page."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from tests.conftest import LANGUAGES, SITE, site_pages
from tests.gates import read_page
from tools import build_pdf

CHAPTERS = [name for name, _ in build_pdf.chapters()]


def _plain(text: str) -> str:
    """Text as a reader sees it: ligatures undone (ﬁ → fi), one space for any run of white space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=None)
def _reader(lang: str):
    from pypdf import PdfReader

    path = SITE / lang / build_pdf.pdf_name(lang)
    if not path.is_file():
        pytest.fail(f"{path} is missing: tools/build_book.py prints the PDFs after the HTML build")
    return PdfReader(path)


def _outline(lang: str) -> list[tuple[str, int]]:
    """Every entry of the PDF's outline (bookmarks), flattened: (title, page index)."""
    reader = _reader(lang)

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield _plain(item.title), reader.get_destination_page_number(item)

    return list(walk(reader.outline))


@lru_cache(maxsize=None)
def _page_text(lang: str, index: int) -> str:
    return _plain(_reader(lang).pages[index].extract_text())


def _h1(lang: str, name: str) -> str:
    """The h1 of a chapter as the built site shows it."""
    return _plain(build_pdf.title_of(build_pdf.article((SITE / lang / f"{name}.html").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_opens_in_its_language(lang):
    reader = _reader(lang)
    catalog = reader.trailer["/Root"]
    assert catalog.get("/Lang") == lang, "the catalog names the document's language"
    assert "/StructTreeRoot" in catalog, "the PDF is tagged"
    assert reader.metadata.title == build_pdf.ui.strings(lang)["book_title"]
    # A cover, a table of contents, and every chapter starting on a page of its own.
    assert len(reader.pages) >= len(CHAPTERS) + 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_chapter_heading_is_in_the_outline_and_on_its_page(lang):
    outline = _outline(lang)
    titles = {title for title, _ in outline}
    missing = []
    for name in CHAPTERS:
        h1 = _h1(lang, name)
        if h1 not in titles:
            missing.append(f"{name}: {h1!r} not in the outline")
            continue
        page = next(index for title, index in outline if title == h1)
        if h1 not in _page_text(lang, page):
            missing.append(f"{name}: {h1!r} not on page {page + 1}")
    assert not missing


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chapters_come_in_toc_order_each_on_a_new_page(lang):
    outline = _outline(lang)
    pages = []
    for name in CHAPTERS:
        h1 = _h1(lang, name)
        pages.append(next(index for title, index in outline if title == h1))
    assert pages[0] == 2, "the root page follows the cover and the table of contents"
    assert pages == sorted(pages)
    assert len(set(pages)) == len(pages), "two chapters share a page"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cover_carries_title_and_the_source_credit(lang):
    cover = _page_text(lang, 0)
    assert _plain(build_pdf.ui.strings(lang)["book_title"]) in cover
    assert _plain(build_pdf.SOURCE_CREDIT) in cover, "the credit in the form the source guide asks for"
    assert _plain(build_pdf.ui.strings(lang)["book_nav"]) in _page_text(lang, 1), "the table of contents"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_numbers_and_link_addresses_for_paper(lang):
    reader = _reader(lang)
    total = len(reader.pages)
    assert f"2 / {total}" in _page_text(lang, 1)
    # The list of references writes out the address of every external link.
    outline = _outline(lang)
    page = next(index for title, index in outline if title == _h1(lang, "reference-links"))
    assert re.search(r"\(https?://[^ )]+", _page_text(lang, page + 1) + _page_text(lang, page))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tools_are_printed_as_their_static_forms(lang):
    outline = _outline(lang)
    page = next(index for title, index in outline if title == _h1(lang, "classifier"))
    text = " ".join(_page_text(lang, index) for index in range(page, min(page + 3, len(_reader(lang).pages))))
    assert "JavaScript" not in text, "no script-only notices on paper"
    assert build_pdf.ui.strings(lang)["pdf_download"] not in text, "the site's navigation is not printed"
    # The first question's answers are there to tick by hand.
    assert len(re.findall(r"Ja|Oui|Yes", text)) >= 3


BOOK_PAGES = [page for page in site_pages() if page.relative_to(SITE).parts[0] in LANGUAGES]


@pytest.mark.parametrize("page", BOOK_PAGES, ids=[str(p.relative_to(SITE)) for p in BOOK_PAGES])
def test_every_page_links_to_its_language_pdf(page: Path):
    lang = page.relative_to(SITE).parts[0]
    pdf = (SITE / lang / build_pdf.pdf_name(lang)).resolve()
    links = [url for tag, url in read_page(page).links if tag == "a" and url.endswith(build_pdf.pdf_name(lang))]
    assert links, "no link to the PDF"
    for url in links:
        assert not re.match(r"^[a-z]+:|^/", url), f"{url} must be relative"
        assert (page.parent / url).resolve() == pdf
    html = page.read_text(encoding="utf-8")
    assert re.search(r'<span class="pdf-size">\(\d+[.,]\d\u00a0M[Bo]\)</span>', html), "the PDF's size is shown"


def test_rewrite_keeps_links_inside_the_document():
    fragment = ('<section id="intro"><h1>Intro</h1><p><a href="#intro">here</a> '
                '<a class="reference internal" href="glossary.html#term-AI">AI</a> '
                '<a href="roles.html">roles</a> <a href="https://example.org/x">out</a> '
                '<a href="_static/file.zip">file</a> <label for="q1">Q</label>'
                '<input id="q1" aria-describedby="q1-help h2"> <img src="_images/a.svg" alt="a"></p></section>')
    folder = Path("/site/nl")
    out = build_pdf.rewrite(fragment, "intro-page", {"glossary", "roles", "intro-page"}, folder, "")
    assert 'id="intro-page--intro"' in out
    assert 'href="#intro-page--intro"' in out
    assert 'href="#glossary--term-AI"' in out
    assert 'href="#roles"' in out
    assert 'href="https://example.org/x"' in out
    assert "file.zip" not in out, "a link into the site with no hosted address is dropped on paper"
    assert 'for="intro-page--q1"' in out and 'aria-describedby="intro-page--q1-help intro-page--h2"' in out
    assert 'src="file:///site/nl/_images/a.svg"' in out
    hosted = build_pdf.rewrite(fragment, "intro-page", {"glossary", "roles"}, folder, "https://intra.example/ai")
    assert 'href="https://intra.example/ai/nl/_static/file.zip"' in hosted
