"""The home page's ways in: reading routes by role and the list of tools, rendered at build time.

```{aigov-routes}``` renders, for every audience of aigov_widgets/data/audiences.toml (the ONE list of the
book's readers), its label as a heading, its one-line summary, a short reading path and its tools, from
aigov_widgets/sphinx/data/routes.toml. ```{aigov-tools}``` renders every tool page as one list. Links are
Sphinx `doc` references, so their texts are the target pages' titles in the page's language and their URLs
are relative. Semantic HTML only (sections, headings, lists, links); no script.

The build fails (ExtensionError naming the key) when routes.toml names an unknown audience, page or tool,
or when an audience has no route.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.toml"
AUDIENCES_FILE = Path(__file__).resolve().parent.parent / "data" / "audiences.toml"
LABELS = ("read", "tools")
MIN_PAGES, MAX_PAGES = 3, 6


class RoutesError(ValueError):
    """routes.toml does not fit the audiences or the book; the message starts with the offending key."""


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_audiences(path: Path = AUDIENCES_FILE) -> dict[str, dict]:
    """{audience id: {"label": {lang: text}, "summary": {lang: text}}}, in the file's order."""
    return _read(path)["audience"]


def load_routes(path: Path = ROUTES_FILE) -> dict:
    return _read(path)


def _names(value, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RoutesError(f"{key}: expected a list of file names")
    duplicates = sorted({item for item in value if value.count(item) > 1})
    if duplicates:
        raise RoutesError(f"{key}: listed twice: {', '.join(duplicates)}")
    return value


def validate(routes: dict, audiences: Iterable[str], pages: Iterable[str], languages: Iterable[str]) -> None:
    """Check routes.toml against the audience ids, the book's page names and its languages.

    Raises RoutesError whose message names the key at fault, e.g. "route.hr.pages: unknown page 'foo'".
    """
    audiences, pages, languages = list(audiences), set(pages), list(languages)
    unknown_tables = sorted(set(routes) - {"tools", "labels", "route"})
    if unknown_tables:
        raise RoutesError(f"{unknown_tables[0]}: unknown table (expected tools, labels, route)")

    tools = _names(routes.get("tools", {}).get("pages"), "tools.pages")
    if not tools:
        raise RoutesError("tools.pages: no tool page listed")
    for tool in tools:
        if tool not in pages:
            raise RoutesError(f"tools.pages: unknown page {tool!r} (no book/<lang>/{tool}.md)")

    labels = routes.get("labels", {})
    for label in LABELS:
        for lang in languages:
            text = labels.get(label, {}).get(lang)
            if not isinstance(text, str) or not text.strip():
                raise RoutesError(f"labels.{label}.{lang}: missing text")

    table = routes.get("route", {})
    for audience in table:
        if audience not in audiences:
            raise RoutesError(f"route.{audience}: unknown audience (not in data/audiences.toml)")
    for audience in audiences:
        if audience not in table:
            raise RoutesError(f"route.{audience}: missing (every audience of data/audiences.toml needs a route)")
        route = table[audience]
        extra = sorted(set(route) - {"pages", "tools"})
        if extra:
            raise RoutesError(f"route.{audience}.{extra[0]}: unknown key (expected pages, tools)")
        chosen = _names(route.get("pages"), f"route.{audience}.pages")
        if not MIN_PAGES <= len(chosen) <= MAX_PAGES:
            raise RoutesError(f"route.{audience}.pages: {len(chosen)} pages; a route has {MIN_PAGES} to {MAX_PAGES}")
        for page in chosen:
            if page not in pages:
                raise RoutesError(f"route.{audience}.pages: unknown page {page!r} (no book/<lang>/{page}.md)")
        for tool in _names(route.get("tools", []), f"route.{audience}.tools"):
            if tool not in tools:
                raise RoutesError(f"route.{audience}.tools: {tool!r} is not a tool page (tools.pages)")


def _doc_link(page: str, docname: str) -> addnodes.pending_xref:
    """A reference to a book page whose text Sphinx fills in with that page's title."""
    return addnodes.pending_xref(
        "", nodes.inline(page, page, classes=["doc"]),
        refdomain="std", reftype="doc", reftarget="/" + page, refexplicit=False, refwarn=True, refdoc=docname,
    )


class _RoutesBase(SphinxDirective):
    def data(self) -> tuple[dict, dict]:
        """routes.toml and the audiences, validated against this build (or the build fails)."""
        for path in (ROUTES_FILE, AUDIENCES_FILE):
            self.env.note_dependency(str(path))
        routes, audiences = load_routes(ROUTES_FILE), load_audiences(AUDIENCES_FILE)
        try:
            validate(routes, audiences, self.env.found_docs, [self.config.language])
        except RoutesError as error:
            raise ExtensionError(f"aigov: {ROUTES_FILE.name}: {error}") from None
        return routes, audiences

    def link_list(self, pages: list[str], ordered: bool = False) -> nodes.Element:
        listing = nodes.enumerated_list(enumtype="arabic") if ordered else nodes.bullet_list()
        for page in pages:
            paragraph = nodes.paragraph()
            paragraph += _doc_link(page, self.env.docname)
            listing += nodes.list_item("", paragraph)
        return listing


class RoutesDirective(_RoutesBase):
    """```{aigov-routes}``` — one section per audience: who it is for, what to read, which tools to use."""

    def run(self) -> list[nodes.Node]:
        routes, audiences = self.data()
        lang = self.config.language
        labels = {label: routes["labels"][label][lang] for label in LABELS}
        result = []
        for audience_id, audience in audiences.items():
            route = routes["route"][audience_id]
            section_id = nodes.make_id(f"route-{audience_id}")
            section = nodes.section(ids=[section_id], classes=["aigov-route"])
            section += nodes.title(text=audience["label"][lang])
            section += nodes.paragraph(text=audience["summary"][lang])
            section += nodes.paragraph(text=labels["read"], classes=["aigov-route-label"])
            section += self.link_list(route["pages"], ordered=True)
            if route.get("tools"):
                section += nodes.paragraph(text=labels["tools"], classes=["aigov-route-label"])
                section += self.link_list(route["tools"])
            self.state.document.set_id(section)
            result.append(section)
        return result


class ToolsDirective(_RoutesBase):
    """```{aigov-tools}``` — every tool page of the book, one link each."""

    def run(self) -> list[nodes.Node]:
        routes, _ = self.data()
        listing = self.link_list(routes["tools"]["pages"])
        listing["classes"].append("aigov-tools")
        return [listing]


def setup(app: Sphinx) -> dict:
    app.add_directive("aigov-routes", RoutesDirective)
    app.add_directive("aigov-tools", ToolsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
