"""The built 404 page and the serving configuration, read from disk (tests/browser/test_serving.py serves
them with nginx)."""

from __future__ import annotations

import re
from html import escape

from aigov_widgets.sphinx import ui
from tests.conftest import LANGUAGES, ROOT
from tests.gates import broken_internal_links, read_page, static_violations
from tools import site_assets

DEPLOY = ROOT / "deploy"


def test_the_404_page_is_built_with_the_books_style_and_every_language(site):
    page = site / "404.html"
    html = page.read_text(encoding="utf-8")
    facts = read_page(page)
    assert facts.html_lang == LANGUAGES[0]
    # The base comes first in <head>, before any URL it must apply to; nginx's sub_filter looks for it.
    base = re.search(r'<head>\s*<meta charset="utf-8">\s*<base href="([^"]+)">', html)
    assert base and base.group(1) == site_assets.not_found_base()
    stylesheets = [url for tag, url in facts.links if tag == "link" and url.endswith(".css")]
    assert stylesheets == [f"{LANGUAGES[0]}/_static/aigov.css"]
    assert (site / stylesheets[0]).is_file()
    homes = {url for tag, url in facts.links if tag == "a"}
    assert homes == {f"{lang}/index.html" for lang in LANGUAGES}
    for lang in LANGUAGES:
        title = ui.strings(lang)["book_title"]
        block = re.search(rf'<div lang="{lang}">(.*?)</div>', html, flags=re.S)
        assert block, f"no {lang} block"
        assert f'href="{lang}/index.html" hreflang="{lang}">{escape(title)}</a>' in block.group(1)
        assert f'<span lang="{lang}">{site_assets.NOT_FOUND_TEXTS[lang][0]}</span>' in html
    if base.group(1) == "./":  # else the root-relative base is the one exemption (test_static_gates.py)
        assert static_violations(page) == [] and broken_internal_links(page, site) == []
    assert 'name="robots" content="noindex"' in html


def test_the_404_texts_follow_the_books_typography():
    nl, fr, en = (site_assets.NOT_FOUND_TEXTS[lang] for lang in ("nl", "fr", "en"))
    for text in fr:
        assert "'" not in text, "French uses the typographic apostrophe"
        assert not re.search(r"[^\u00a0][:;?!]", text), f"non-breaking space before high punctuation: {text!r}"
    for text in nl + en:
        assert "\u00a0" not in text


def test_the_404_base_comes_from_base_url(tmp_path):
    config = tmp_path / "_config.yml"
    for base_url, expected in (("", "./"), ("https://intranet.example/ai-gids/", "/ai-gids/"),
                               ("https://intranet.example/ai-gids", "/ai-gids/"),
                               ("https://guide.example", "./")):
        config.write_text(f'sphinx:\n  config:\n    aigov_site:\n      base_url: "{base_url}"\n', encoding="utf-8")
        assert site_assets.not_found_base(config) == expected, base_url
    config.write_text("title: x\n", encoding="utf-8")
    assert site_assets.not_found_base(config) == "./"


def test_the_nginx_configuration_keeps_its_hardening():
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    active = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert re.search(r"(?m)^\s*absolute_redirect off;", active)
    assert re.search(r"(?m)^\s*location ~ /\\\. \{\s*return 404;", active)
    assert re.search(r"(?m)^\s*error_page 404 @aigov_not_found;", active)
    assert "sub_filter '<base href=\"./\">' '<base href=\"$uri\">';" in active
    # One set of headers, at server level: a location with its own add_header would silently drop them.
    server = active[active.index("server {"):]
    locations = re.split(r"(?m)^\s*location ", server)[1:]
    assert locations and all("add_header" not in block for block in locations)
    assert 'add_header Cache-Control $aigov_cache_control always;' in server
    headers = (DEPLOY / "security-headers.conf").read_text(encoding="utf-8")
    assert re.search(r'(?m)^add_header Cross-Origin-Resource-Policy "same-origin" always;', headers)
    assert not re.search(r"(?m)^add_header Strict-Transport-Security", headers), "HSTS stays an option"
