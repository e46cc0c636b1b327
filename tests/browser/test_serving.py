"""Serving, hardened: the HTTP behaviour of deploy/nginx.conf on the built site (caching only what is
versioned and found, relative redirects, no dotfiles, the security headers) and the 404 page (status 404,
styled, three languages, at any depth and under a sub-path, clean under the strict policy and axe)."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import Visit, new_context
from tests.conftest import LANGUAGES, SITE, NginxServer
from tools import nginx_conf

YEAR = "public, max-age=31536000, immutable"
ROOT = Path(__file__).resolve().parents[2]


def fetch(server, path: str, method: str = "GET", headers: dict | None = None) -> http.client.HTTPResponse:
    """One raw request (no redirect followed, no decompression): the response, body read."""
    parts = urlsplit(server.base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def _versioned_asset(site: Path) -> str:
    """A `_static/...?v=<hash>` URL the Dutch home page really uses."""
    html = (site / "nl" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'href="(_static/[^"?]+\.css\?v=[0-9a-f]+)"', html)
    assert match, "the Dutch home page links no versioned stylesheet"
    return "/nl/" + match.group(1)


def _runtime_file(site: Path) -> str:
    path = next((site / "_runtime" / "pyodide").glob("*/pyodide-lock.json"))
    return "/" + path.relative_to(site).as_posix()


@pytest.mark.parametrize("brotli", [True, False], ids=["with-brotli", "without-brotli"])
def test_the_configuration_passes_nginx_t(tmp_path, monkeypatch, brotli):
    if not brotli:
        monkeypatch.setattr(nginx_conf, "BROTLI_MODULE", tmp_path / "absent.so")
    elif not nginx_conf.BROTLI_MODULE.exists():
        pytest.skip("the brotli module is not installed")
    command = nginx_conf.check_command(nginx_conf.prepare(SITE, 8000, tmp_path / "nginx"))
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rendered = (tmp_path / "nginx" / "nginx.conf").read_text(encoding="utf-8")
    active = [line.split("#", 1)[0] for line in rendered.splitlines()]
    assert any("brotli" in line for line in active) == brotli


# Caching ---------------------------------------------------------------------------------------------

def test_versioned_and_runtime_assets_are_cached_for_a_year(server, site):
    for path in (_versioned_asset(site), _runtime_file(site)):
        response = fetch(server, path)
        assert response.status == 200, path
        assert response.getheader("Cache-Control") == YEAR, path
        # A revalidation (304) keeps the same policy.
        etag = response.getheader("ETag")
        revalidated = fetch(server, path, headers={"If-None-Match": etag})
        assert revalidated.status == 304, path
        assert revalidated.getheader("Cache-Control") == YEAR, path


@pytest.mark.parametrize("path", [
    "/nl/_static/x.css?v=deadbeef",
    "/_runtime/pyodide/0.0.0/missing.js",
    "/_runtime/aigov/0000000000000000/missing.whl",
    "/nl/_static/missing.js",
])
def test_a_missing_versioned_or_runtime_file_is_never_cached(server, path):
    response = fetch(server, path)
    assert response.status == 404
    assert response.getheader("Cache-Control") == "no-store"
    assert "max-age" not in response.getheader("Cache-Control")


def test_pages_and_unversioned_assets_are_revalidated(server):
    for path in ("/", "/nl/index.html", "/nl/_static/aigov.css"):
        response = fetch(server, path)
        assert response.status == 200, path
        assert response.getheader("Cache-Control") == "no-cache", path


# Redirects and dotfiles ------------------------------------------------------------------------------

def test_a_redirect_is_relative(server):
    response = fetch(server, "/nl", headers={"Host": "guide.example:8443"})
    assert response.status == 301
    assert response.getheader("Location") == "/nl/"
    assert response.getheader("Cache-Control") == "no-cache"


def test_the_site_needs_no_dotfile():
    """Nothing the site links to starts with a dot, so refusing dotfiles breaks nothing."""
    for page in SITE.rglob("*.html"):
        if "_runtime" in page.parts:
            continue
        for url in re.findall(r'(?:href|src)="([^"#?]+)', page.read_text(encoding="utf-8")):
            segments = [segment for segment in urlsplit(url).path.split("/") if segment not in ("", ".", "..")]
            assert not any(segment.startswith(".") for segment in segments), f"{page}: {url}"


@pytest.mark.parametrize("path", ["/.buildinfo", "/nl/.buildinfo", "/nl/.hidden", "/.git/config",
                                  "/nl/_static/.DS_Store", "/nl/%2ebuildinfo"])
def test_dotfiles_are_not_served(server, site, path):
    if path == "/nl/.buildinfo":
        assert (site / "nl" / ".buildinfo").is_file(), "the build writes it: the server must hide it"
    response = fetch(server, path)
    assert response.status == 404
    assert b"config_hash" not in response.body and b"tags:" not in response.body


# Headers ---------------------------------------------------------------------------------------------

DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort",
                   "browsing-topics", "serial", "hid", "display-capture", "clipboard-read")


@pytest.mark.parametrize("path", ["/nl/index.html", "/nl", "/nl/missing.html", "/.buildinfo",
                                  "/_runtime/pyodide/0.0.0/missing.js"])
def test_every_response_has_the_security_headers(server, path):
    response = fetch(server, path)
    policy = response.getheader("Permissions-Policy") or ""
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in DENIED_FEATURES:
        assert features.get(feature) == "()", feature
    allowed = {feature: value for feature, value in features.items() if value != "()"}
    assert allowed == {"clipboard-write": "(self)"}, "every listed feature is denied but the copy button's"
    assert response.getheader("Cross-Origin-Resource-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    # Off by default (plain HTTP in tests and `make serve`): options for the institution.
    assert response.getheader("Strict-Transport-Security") is None
    assert "report-" not in response.getheader("Content-Security-Policy")


def test_hsts_and_csp_reporting_are_documented_options():
    conf = (ROOT / "deploy" / "security-headers.conf").read_text(encoding="utf-8")
    active = re.search(r'(?m)^add_header Content-Security-Policy "([^"]+)" always;', conf).group(1)
    reporting = re.search(r'(?m)^#add_header Content-Security-Policy "([^"]+)" always;', conf).group(1)
    assert reporting.startswith(active + "; "), "the reporting variant is the same policy, plus reporting"
    assert "report-uri " in reporting and "report-to aigov-csp" in reporting
    assert re.search(r'(?m)^#add_header Reporting-Endpoints .*aigov-csp=', conf)
    assert re.search(r'(?m)^#add_header Strict-Transport-Security "max-age=\d+', conf)


# The 404 page ----------------------------------------------------------------------------------------

def test_a_missing_page_gets_the_404_page_with_status_404(server):
    for path in ("/nl/missing.html", "/nl/a/b/c.html", "/missing", "/.hidden"):
        response = fetch(server, path, headers={"Accept-Encoding": "gzip, br"})
        assert response.status == 404, path
        assert response.getheader("Content-Type").startswith("text/html")
        assert response.getheader("Content-Encoding") is None, "sub_filter needs the uncompressed page"
        body = response.body.decode("utf-8")
        assert '<base href="/404.html">' in body, path
        for lang in LANGUAGES:
            assert f'lang="{lang}"' in body and f'href="{lang}/index.html"' in body


def _visit_404(context, url: str) -> Visit:
    page = context.new_page()
    record = Visit(page)
    page.on("console", lambda message: record.console_errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
    responses = []
    page.on("response", lambda response: responses.append((response.url, response.status)))
    page.on("request", lambda request: record.requests.append(request.url))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 404, url
    record.responses = responses
    return record


def _check_404_page(browser, server, path: str, prefix: str = "") -> None:
    context = new_context(browser)
    try:
        record = _visit_404(context, server.url(path))
        page = record.page
        # Styled: the book's stylesheet loaded (through the base, whatever the depth) and applies.
        sheets = page.evaluate("() => [...document.styleSheets].map((sheet) => sheet.href)")
        assert sheets == [server.url(f"{prefix}nl/_static/aigov.css")]
        assert page.evaluate("() => getComputedStyle(document.querySelector('main')).maxWidth") == "640px"
        assert [status for url, status in record.responses if url != server.url(path)] \
            and all(status == 200 for url, status in record.responses if url != server.url(path))
        # Three languages, each in its own element, each linking to its home page.
        for lang in LANGUAGES:
            link = page.locator(f'[lang="{lang}"] a[hreflang="{lang}"]')
            assert link.count() == 1, lang
            assert link.evaluate("(a) => a.href") == server.url(f"{prefix}{lang}/index.html")
        assert page.locator("h1 [lang]").count() == len(LANGUAGES)
        assert record.foreign_requests(server.base) == []
        assert all(urlsplit(url).path.startswith("/" + prefix) for url in record.requests)
        # The only console error is Chromium's note that the document itself was a 404.
        assert [error for error in record.console_errors if "status of 404" not in error] == []
        assert record.csp_violations() == []
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert record.axe() == [], f"axe WCAG findings in {scheme} mode"
        assert record.csp_violations() == []
        # Following a home link works.
        with page.expect_navigation():
            page.click('a[hreflang="fr"]')
        assert page.url == server.url(f"{prefix}fr/index.html")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["nl/missing.html", "nl/a/b/c.html", "_runtime/pyodide/0.0.0/x.js"])
def test_the_404_page_is_styled_multilingual_and_clean_at_any_depth(browser, server, path):
    _check_404_page(browser, server, path)


@pytest.fixture(scope="module")
def subpath_server(tmp_path_factory):
    # As in test_subpath.py: beside the site, where nginx's workers may read.
    root = SITE.parent / "subpath-root-serving"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    (root / "ai-gids").symlink_to(SITE)
    server = NginxServer(root, tmp_path_factory.mktemp("nginx-subpath-serving"))
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["ai-gids/nl/missing.html", "ai-gids/fr/a/b/c.html", "ai-gids/.buildinfo"])
def test_the_404_page_works_under_a_sub_path(browser, subpath_server, path):
    response = fetch(subpath_server, "/" + path)
    assert response.status == 404
    assert '<base href="/ai-gids/404.html">' in response.body.decode("utf-8")
    _check_404_page(browser, subpath_server, path, prefix="ai-gids/")


def test_a_redirect_under_a_sub_path_is_relative(subpath_server):
    response = fetch(subpath_server, "/ai-gids")
    assert response.status == 301
    assert response.getheader("Location") == "/ai-gids/"
