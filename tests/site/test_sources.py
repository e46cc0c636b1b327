"""One curated sources file (book/sources.toml): every external link of every built page is in it,
and the bibliography and reference pages are generated from it. No network access."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import pytest

from aigov_widgets.sphinx.generated import SOURCE_KINDS, load_sources
from tests.conftest import LANGUAGES, ROOT, SITE, site_pages
from tests.gates import read_page

SOURCES = load_sources(ROOT / "book" / "nl")


def without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def test_every_source_is_well_formed():
    ids = [source["id"] for source in SOURCES]
    assert len(ids) == len(set(ids)), "duplicate source ids"
    for source in SOURCES:
        assert source["title"].strip() and source["lang"] in {"nl", "fr", "en", "de", "multi"}, source["id"]
        assert source["kind"] in SOURCE_KINDS, source["id"]
        if "url" in source:
            assert source["url"].startswith("https://") or source["url"].startswith("http://"), source["id"]
            assert "#" not in source["url"], f"{source['id']}: record the address without #fragment"
    urls = [source["url"] for source in SOURCES if "url" in source]
    assert len(urls) == len(set(urls)), "the same address is recorded twice"


KNOWN = {without_fragment(source["url"]) for source in SOURCES if "url" in source}


@pytest.mark.parametrize("page", site_pages(), ids=[str(p.relative_to(SITE)) for p in site_pages()])
def test_every_external_link_is_a_curated_source(page):
    unknown = sorted({url for tag, url in read_page(page).links
                      if tag == "a" and re.match(r"https?://", url) and without_fragment(url) not in KNOWN})
    assert not unknown, f"external links missing from book/sources.toml: {unknown}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind, page", [("bibliography", "bibliography"), ("reference", "reference-links")])
def test_bibliography_and_reference_pages_are_generated_from_the_file(lang, kind, page):
    html = (SITE / lang / f"{page}.html").read_text(encoding="utf-8")
    entries = [source for source in SOURCES if source["kind"] == kind]
    assert entries, f"no {kind} entries"
    for source in entries:
        if "url" in source:
            assert f'href="{source["url"]}"' in html.replace("&amp;", "&"), source["id"]
