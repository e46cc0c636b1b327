"""Each gate fails on a deliberately broken page (tests/fixtures/broken-site): a gate that cannot fail
proves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NginxServer
from tests.gates import broken_internal_links, static_violations

FIXTURES = Path(__file__).parent / "fixtures" / "broken-site"
BROKEN = FIXTURES / "nl" / "broken.html"


def test_static_gates_catch_every_kind_of_breach():
    problems = "\n".join(static_violations(BROKEN))
    for expected in ("inline script", "inline event handler", "style attribute", "<style> element",
                     "request to another origin", "root-relative URL", "no <html lang>"):
        assert expected in problems, expected


def test_link_gate_catches_a_missing_page():
    assert "<a> missing-page.html" in broken_internal_links(BROKEN, FIXTURES)


@pytest.mark.browser
def test_browser_gates_catch_the_broken_page(browser, tmp_path):
    from tests.browser.helpers import new_context, visit

    server = NginxServer(FIXTURES, tmp_path)
    context = new_context(browser)
    try:
        record = visit(context, server.url("nl/broken.html"))
        violations = record.csp_violations()
        assert any("script-src" in v for v in violations), violations
        assert any("style-src" in v for v in violations), violations
        assert record.console_errors, "the blocked script and style are reported on the console"
        axe_ids = {finding["id"] for finding in record.axe()}
        assert {"html-has-lang", "image-alt", "button-name"} <= axe_ids, axe_ids
    finally:
        context.close()
        server.stop()
