"""The site works under any sub-path (e.g. https://intranet.example/ai-gids/): every URL is relative.
Served by nginx with deploy/nginx.conf, with the site one folder below the web root."""

from __future__ import annotations

import shutil
import time

import pytest

from tests.browser.helpers import new_context, visit
from tests.conftest import SITE, NginxServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def subpath_server(tmp_path_factory):
    # Beside the site, where nginx's workers (not root) may read; pytest's own temp dirs are private.
    root = SITE.parent / "subpath-root"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "ai-gids").symlink_to(SITE)
    server = NginxServer(root, tmp_path_factory.mktemp("nginx-subpath"))
    yield server
    server.stop()


def test_pages_assets_switcher_and_widget_work_under_a_sub_path(browser, subpath_server):
    context = new_context(browser)
    failures = []
    context.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    try:
        record = visit(context, subpath_server.url("ai-gids/index.html"))
        page = record.page
        with page.expect_navigation():
            page.click("a[hreflang=fr]")
        assert page.url.endswith("/ai-gids/fr/index.html")
        with page.expect_navigation():
            page.click("a[href='checklist.html']")
        page.click('input[name="done:identification.inventory"]')
        deadline = time.monotonic() + 60
        while page.get_attribute("[data-aigov-widget]", "data-aigov-state") != "ready":
            assert time.monotonic() < deadline, page.text_content("[data-aigov-status]")
            time.sleep(0.05)
        assert all("/ai-gids/" in url for url in record.requests), "a request left the sub-path"
        assert failures == []
        assert record.csp_violations() == [] and record.console_errors == []
    finally:
        context.close()
