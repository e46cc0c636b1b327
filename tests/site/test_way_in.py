"""The built home page of every language is a way in: one tap to every tool page and to the start page, and a
route per audience whose links carry the target pages' titles in that language, by relative URLs."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from aigov_widgets.sphinx import routes
from tests.conftest import LANGUAGES, SITE

DATA = routes.load_routes()
AUDIENCES = routes.load_audiences()
_LINK = re.compile(r'<a class="reference internal" href="([^"#]+)"><span class="[^"]*">(.*?)</span></a>')
_H1 = re.compile(r"<h1>(.*?)<a class=\"headerlink\"", re.DOTALL)


def main_html(lang: str, page: str) -> str:
    text = (SITE / lang / f"{page}.html").read_text(encoding="utf-8")
    return text[text.index("<main"):text.index("</main>")]


def title(lang: str, page: str) -> str:
    return html_lib.unescape(_H1.search(main_html(lang, page)).group(1)).strip()


def links(fragment: str) -> dict[str, str]:
    """href -> link text of the internal page links in an HTML fragment."""
    return {href: html_lib.unescape(re.sub(r"<[^>]+>", "", text)) for href, text in _LINK.findall(fragment)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_links_every_tool_page_and_the_start_page(site, lang):
    home = links(main_html(lang, "index"))
    for page in DATA["tools"]["pages"] + ["start-here"]:
        assert f"{page}.html" in home, f"{lang}/index.html does not link {page}.html"
        assert home[f"{page}.html"] == title(lang, page), f"{lang}: link text of {page}.html is not its title"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_audience_has_its_route_on_the_home_page(site, lang):
    main = main_html(lang, "index")
    for audience_id, audience in AUDIENCES.items():
        anchor = f'id="route-{audience_id.replace("_", "-")}"'
        assert anchor in main, f"{lang}: no route section for {audience_id}"
        section = main[main.index(anchor):]
        section = section[:section.index("</section>")]
        assert html_lib.escape(audience["label"][lang], quote=False) in section
        found = links(section)
        for page in DATA["route"][audience_id]["pages"] + DATA["route"][audience_id].get("tools", []):
            assert found.get(f"{page}.html") == title(lang, page), f"{lang}/{audience_id}: {page}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_start_page_is_the_first_page_after_home(site, lang):
    nav = (SITE / lang / "index.html").read_text(encoding="utf-8")
    first = re.search(r'<li class="toctree-l1"><a class="reference internal" href="([^"]+)"', nav)
    assert first and first.group(1) == "start-here.html"
