"""Every page of every language, served by nginx with deploy/nginx.conf, in Chromium: no CSP violation,
no console error, no request to another origin, and no axe-core WCAG 2.1 A/AA finding in light and dark
mode. Best-practice findings are printed (run pytest with -s or see the summary)."""

from __future__ import annotations

import time

import pytest

from tests.browser.helpers import new_context, visit
from tests.conftest import SITE, site_pages

PAGES = site_pages()
IDS = [str(page.relative_to(SITE)) for page in PAGES]
BEST_PRACTICE: dict[str, list] = {}


@pytest.fixture(scope="module")
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_page_is_clean_under_the_strict_policy(page, server, context):
    path = page.relative_to(SITE).as_posix()
    record = visit(context, server.url(path))
    try:
        assert record.csp_violations() == []
        assert record.console_errors == []
        assert record.foreign_requests(server.base) == []
        if "data-aigov-tool-page" in page.read_text(encoding="utf-8"):
            # A tool page (the registry says which) starts Python once idle: check the page when it is ready.
            deadline = time.monotonic() + 90
            while record.page.get_attribute("[data-aigov-widget]", "data-aigov-state") not in ("ready", "error"):
                assert time.monotonic() < deadline, "the tool page's tools did not start"
                time.sleep(0.1)
            assert record.page.get_attribute("[data-aigov-widget]", "data-aigov-state") == "ready"
            assert record.console_errors == [] and record.csp_violations() == []
        else:
            assert not [url for url in record.requests if "/_runtime/" in url], "a text page loaded the Python runtime"
        for scheme in ("light", "dark"):
            record.page.emulate_media(color_scheme=scheme)
            assert record.axe() == [], f"axe WCAG findings in {scheme} mode"
        findings = record.axe(["best-practice"])
        if findings:
            BEST_PRACTICE[path] = findings
            print(f"\nbest-practice findings on {path}: {findings}")
        assert record.csp_violations() == [], "axe itself must not trip the policy"
    finally:
        record.page.close()
