"""Navigation in Chromium on the site served by nginx: on a wide screen the contents and "On this page" stay in
view while the article scrolls; the contents are folded by part (open for the current page's part) and
fold without JavaScript; on a phone (390 px) a "Contents" link at the top jumps to the contents; long pages
have a back-to-top link; the pages stay clean (CSP, console, axe) at both widths."""

from __future__ import annotations

import pytest

from aigov_widgets.sphinx import ui
from tests.browser.helpers import new_context, visit
from tests.conftest import LANGUAGES

pytestmark = pytest.mark.browser

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG_PAGE = "roles"  # a long chapter in the part "The AI Act in your organisation"


@pytest.fixture(scope="module")
def wide(browser):
    context = new_context(browser, viewport=WIDE)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone(browser):
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context
    context.close()


def box(page, selector: str) -> dict:
    return page.eval_on_selector(selector, "el => { const r = el.getBoundingClientRect();"
                                           " return {top: r.top, bottom: r.bottom, height: r.height}; }")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contents_and_page_contents_stay_in_view_on_a_wide_screen(wide, server, lang):
    record = visit(wide, server.url(f"{lang}/{LONG_PAGE}.html"))
    page = record.page
    try:
        assert page.evaluate("() => document.documentElement.scrollHeight") > 3 * WIDE["height"]
        page.evaluate("() => window.scrollTo(0, 2500)")
        page.wait_for_function("() => window.scrollY >= 2500")
        for selector in ("#site-nav", "nav.page-toc"):
            rect = box(page, selector)
            assert 0 <= rect["top"] <= 20, f"{selector} left the screen: {rect}"
            assert rect["bottom"] <= WIDE["height"] + 1, f"{selector} is taller than the screen: {rect}"
        # The contents scroll on their own (not with the article).
        assert page.eval_on_selector("#site-nav", "el => getComputedStyle(el).overflowY") == "auto"
        # The back-to-top link of the sticky "On this page" column is in view and takes the reader up.
        link = page.locator("nav.page-toc .back-to-top a")
        assert link.is_visible() and link.inner_text().strip().endswith(ui.strings(lang)["back_to_top"])
        link.click()
        page.wait_for_function("() => window.scrollY === 0")
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_parts_fold_and_the_current_part_is_open(wide, server, lang):
    record = visit(wide, server.url(f"{lang}/{LONG_PAGE}.html"))
    page = record.page
    try:
        parts = page.eval_on_selector_all(
            "#site-nav details.nav-part",
            "els => els.map(d => ({open: d.open, current: !!d.querySelector('[aria-current=page]')}))",
        )
        assert len(parts) >= 5
        assert [part["current"] for part in parts].count(True) == 1
        assert all(part["open"] == part["current"] for part in parts), parts
        current = page.locator("#site-nav a[aria-current=page]")
        assert current.is_visible() and current.get_attribute("href") == "#"
        # A folded part opens with its summary; its pages become visible and reachable.
        closed = page.locator("#site-nav details.nav-part").nth([part["open"] for part in parts].index(False))
        first_link = closed.locator("ul a").first
        assert not first_link.is_visible()
        closed.locator("summary").click()
        assert closed.evaluate("d => d.open") and first_link.is_visible()
        closed.locator("summary").click()
        assert not closed.evaluate("d => d.open")
        # The home page has no current part: every part is open.
        home = visit(wide, server.url(f"{lang}/index.html")).page
        try:
            assert home.eval_on_selector_all("#site-nav details.nav-part", "els => els.every(d => d.open)")
        finally:
            home.close()
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_folding_works_without_javascript(browser, server, lang):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    try:
        page = context.new_page()
        page.goto(server.url(f"{lang}/{LONG_PAGE}.html"))
        folded = page.eval_on_selector_all("#site-nav details.nav-part", "els => els.map(d => d.open)")
        closed = page.locator("#site-nav details.nav-part").nth(folded.index(False))
        closed.locator("summary").click()
        assert closed.evaluate("d => d.open") and closed.locator("ul a").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_phone_has_a_contents_link_at_the_top_and_back_to_top(phone, server, lang):
    record = visit(phone, server.url(f"{lang}/{LONG_PAGE}.html"))
    page = record.page
    texts = ui.strings(lang)
    try:
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        link = page.locator("a.contents-link")
        assert link.is_visible() and link.inner_text().strip() == texts["contents_link"]
        assert box(page, "a.contents-link")["bottom"] < PHONE["height"] / 2, "the Contents link is not at the top"
        assert not page.locator("nav.page-toc").is_visible()
        # Today's problem: the contents start far below, after the whole article.
        assert box(page, "#site-nav")["top"] > 5 * PHONE["height"]
        link.click()
        page.wait_for_function("() => location.hash === '#site-nav'")
        rect = box(page, "#site-nav")
        assert -2 <= rect["top"] < PHONE["height"] / 2, f"the contents are not on screen after the jump: {rect}"
        assert page.locator("#site-nav a[aria-current=page]").is_visible()
        # From the contents (and from the article's end) back to the top.
        back = page.locator("#site-nav .nav-back-to-top a")
        assert back.is_visible() and back.inner_text().strip().endswith(texts["back_to_top"])
        back.click()
        page.wait_for_function("() => window.scrollY === 0")
        end = page.locator("main > .back-to-top a")
        end.scroll_into_view_if_needed()
        assert end.is_visible()
        end.click()
        page.wait_for_function("() => window.scrollY === 0")
        assert page.locator("a.contents-link").is_visible()
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_short_page_has_no_back_to_top(wide, server, lang):
    page = visit(wide, server.url(f"{lang}/search.html")).page
    try:
        assert page.locator("main > .back-to-top").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("viewport", ["wide", "phone"])
@pytest.mark.parametrize("path", [f"{LONG_PAGE}.html", "index.html", "hr-use-cases.html", "search.html?q=FRIA"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_with_the_new_navigation_are_clean(request, server, lang, path, viewport):
    context = request.getfixturevalue(viewport)
    record = visit(context, server.url(f"{lang}/{path}"))
    try:
        if path.startswith("search"):
            record.page.wait_for_function(
                "() => (document.querySelector('#search-results p.search-summary') || {}).textContent")
        if viewport == "phone":
            record.page.click("a.contents-link")
        for scheme in ("light", "dark"):
            record.page.emulate_media(color_scheme=scheme)
            assert record.axe() == [], f"axe WCAG findings in {scheme} mode"
        assert record.csp_violations() == [] and record.console_errors == []
        assert record.foreign_requests(server.base) == []
    finally:
        record.page.close()
