"""The site's gates as functions, so the same checks run on the built book and on the broken fixtures
that prove each gate can fail.

Static gates read one HTML file; browser gates (in tests/browser/) load it through nginx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# Attributes that make the browser fetch something (an <a href> is a link the reader chooses to follow).
FETCHING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
    "track": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class PageFacts:
    """What one HTML page contains that the gates look at."""

    html_lang: str | None = None
    inline_scripts: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    style_elements: int = 0
    foreign_fetches: list[str] = field(default_factory=list)
    root_relative: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) of every href/src
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> href
    switcher: dict[str, str] = field(default_factory=dict)  # language code -> href
    text: list[str] = field(default_factory=list)


def _is_foreign(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "mailto", "tel")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._script_depth = 0
        self._script_is_code = False
        self._script_has_src = False
        self._script_body: list[str] = []
        self._in_switcher = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): (value or "") for name, value in attrs}
        facts = self.facts
        if tag == "html":
            facts.html_lang = attributes.get("lang")
        for name, value in attributes.items():
            if name.startswith("on"):
                facts.handlers.append(f"<{tag} {name}>")
            if name == "style":
                facts.style_attributes.append(f"<{tag} style={value[:40]!r}>")
        if tag == "style":
            facts.style_elements += 1
        if tag == "script":
            self._script_depth += 1
            self._script_has_src = "src" in attributes
            self._script_is_code = attributes.get("type", "").lower() not in DATA_SCRIPT_TYPES
            self._script_body = []
        for name in FETCHING_ATTRIBUTES.get(tag, ()):
            if name not in attributes:
                continue
            value = attributes[name]
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
            for url in urls:
                if _is_foreign(url):
                    facts.foreign_fetches.append(f"<{tag} {name}={url!r}>")
        for name in ("href", "src", "action"):
            if name in attributes:
                value = attributes[name]
                facts.links.append((tag, value))
                if value.startswith("/") and not value.startswith("//"):
                    facts.root_relative.append(f"<{tag} {name}={value!r}>")
        if tag == "link" and attributes.get("rel") == "alternate" and "hreflang" in attributes:
            facts.alternates[attributes["hreflang"]] = attributes.get("href", "")
        if tag == "nav" and "language-switcher" in attributes.get("class", ""):
            self._in_switcher += 1
        elif tag == "nav" and self._in_switcher:
            self._in_switcher += 1
        if tag == "a" and self._in_switcher and "hreflang" in attributes:
            facts.switcher[attributes["hreflang"]] = attributes.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script_depth:
            self._script_depth -= 1
            body = "".join(self._script_body).strip()
            if self._script_is_code and not self._script_has_src:
                self.facts.inline_scripts.append(body[:60] or "(empty inline script)")
            elif self._script_is_code and body:
                self.facts.inline_scripts.append(body[:60])
        if tag == "nav" and self._in_switcher:
            self._in_switcher -= 1

    def handle_data(self, data: str) -> None:
        if self._script_depth:
            self._script_body.append(data)
        elif data.strip():
            self.facts.text.append(data.strip())


def read_page(path: Path) -> PageFacts:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.facts


def static_violations(path: Path) -> list[str]:
    """Every breach of the static gates in one page: inline code or style, third-party fetches."""
    facts = read_page(path)
    problems = []
    problems += [f"inline script: {body!r}" for body in facts.inline_scripts]
    problems += [f"inline event handler: {handler}" for handler in facts.handlers]
    problems += [f"style attribute: {style}" for style in facts.style_attributes]
    if facts.style_elements:
        problems.append(f"{facts.style_elements} <style> element(s)")
    problems += [f"request to another origin: {fetch}" for fetch in facts.foreign_fetches]
    problems += [f"root-relative URL (breaks hosting under a sub-path): {url}" for url in facts.root_relative]
    if not facts.html_lang:
        problems.append("no <html lang>")
    return problems


def broken_internal_links(path: Path, site: Path) -> list[str]:
    """Relative links and assets of a page that point to no file of the built site."""
    missing = []
    for tag, url in read_page(path).links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = (path.parent / parts.path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not str(target).startswith(str(site.resolve())) or not target.exists():
            missing.append(f"<{tag}> {url}")
    return missing


ENGLISH_ONLY = re.compile(r"\b(Link to this|Skip to|Search the|Table of contents|On this page|Previous|Next)\b")
