"""Keyboard-only use (skip link, language switcher, search, navigation), search per language, and the
book without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.helpers import new_context, visit
from tests.conftest import LANGUAGES
from aigov_widgets.sphinx import ui

pytestmark = pytest.mark.browser


@pytest.fixture()
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


def focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
              href: el.getAttribute("href"), hreflang: el.getAttribute("hreflang"),
              outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
              visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.top < innerHeight};
    }""")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_skip_link_is_first_visible_and_moves_focus_to_the_content(context, server, lang):
    record = visit(context, server.url(f"{lang}/roles.html"))
    page = record.page
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main-content"
    assert first["text"] == ui.strings(lang)["skip_to_content"]
    assert first["visible"] and first["outline"] != "none" and first["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    page.keyboard.press("Tab")
    # From the start of the content, Tab reaches the article's first link, never the header again.
    assert page.evaluate("() => document.getElementById('main-content').contains(document.activeElement)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tab_reaches_switcher_search_and_navigation_with_visible_focus(context, server, lang):
    page = visit(context, server.url(f"{lang}/roles.html")).page
    seen = []
    for _ in range(400):
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "body":
            break
        assert state["outline"] != "none", f"no visible focus on {state}"
        seen.append(state)
    hreflangs = {state["hreflang"] for state in seen if state["hreflang"]}
    assert hreflangs == set(LANGUAGES)
    assert any(state["id"] == "site-search-input" for state in seen)
    assert any(state["href"] == "prohibited-practices.html" for state in seen), "the current part's pages are reachable"
    assert any(state["tag"] == "summary" for state in seen), "the folded parts of the contents are reachable"
    # The switcher leads to the same page in the other language.
    other = next(code for code in LANGUAGES if code != lang)
    page.focus(f".language-switcher a[hreflang={other}]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/{other}/roles.html")
    assert page.evaluate("() => document.documentElement.lang") == other


SEARCH_WORDS = {"nl": "verordening", "fr": "règlement", "en": "regulation"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_from_the_header_with_the_keyboard_finds_pages_in_that_language(context, server, lang):
    record = visit(context, server.url(f"{lang}/index.html"))
    page = record.page
    page.focus("#site-search-input")
    page.keyboard.type(SEARCH_WORDS[lang])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"/{lang}/search.html" in page.url
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(a => a.href)")
    assert links and all(f"/{lang}/" in link for link in links)
    assert record.csp_violations() == [] and record.console_errors == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_are_complete_without_javascript(browser, server, lang):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url(f"{lang}/roles.html"))
        assert page.locator("main h1").is_visible()
        assert page.locator("nav.language-switcher a").count() == len(LANGUAGES)
        assert page.locator("#site-nav a").count() > 20
    finally:
        context.close()
