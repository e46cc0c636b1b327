"""A tool's result written once, as a small document, and rendered to HTML (the page) and to Markdown (the
export) from that same object; the JSON export carries the data the document was written from. So the
page and the export cannot drift apart, and user text is escaped by each renderer the same way.

Blocks: Heading, Para, Items (a list), Table. Inlines: plain text, Link, Strong, Badge, Fill (a field to fill in), or a list of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aigov_widgets.core.ui.html import Markup, element, fragment


@dataclass(frozen=True)
class Link:
    text: object
    href: str
    title: str | None = None


@dataclass(frozen=True)
class Strong:
    text: object


@dataclass(frozen=True)
class Fill:
    """A field the reader fills in: shown as [label], in bold, on the page and in the export."""
    label: str


@dataclass(frozen=True)
class Badge:
    """A labelled badge (a tier): bold and framed on the page, never colour alone."""
    text: str


@dataclass(frozen=True)
class Heading:
    level: int
    text: object


@dataclass(frozen=True)
class Para:
    text: object
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Items:
    items: list
    attrs: dict = field(default_factory=dict)
    item_attrs: list | None = None        # one attribute dict per item, when items need them


@dataclass(frozen=True)
class Table:
    head: list
    rows: list
    attrs: dict = field(default_factory=dict)


# --- HTML -----------------------------------------------------------------------------------------

def _inline_html(part) -> object:
    if isinstance(part, (list, tuple)):
        return [_inline_html(each) for each in part]
    if isinstance(part, Link):
        return element("a", {"href": part.href, "title": part.title}, _inline_html(part.text))
    if isinstance(part, Strong):
        return element("strong", {}, _inline_html(part.text))
    if isinstance(part, Badge):
        return element("span", {"class": "aigov-badge"}, part.text)
    if isinstance(part, Fill):
        return element("strong", {"class": "aigov-fill"}, f"[{part.label}]")
    return part


def to_html(blocks: list) -> Markup:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(element(f"h{block.level}", {}, _inline_html(block.text)))
        elif isinstance(block, Para):
            out.append(element("p", block.attrs, _inline_html(block.text)))
        elif isinstance(block, Items):
            attrs = block.item_attrs or [{}] * len(block.items)
            out.append(element("ul", block.attrs, [element("li", extra, _inline_html(item))
                                                   for item, extra in zip(block.items, attrs)]))
        elif isinstance(block, Table):
            out.append(element("div", {"class": "table-wrapper"}, element(
                "table", block.attrs,
                element("thead", {}, element("tr", {}, [element("th", {"scope": "col"}, _inline_html(cell))
                                                         for cell in block.head])),
                element("tbody", {}, [element("tr", {}, [element("td", {}, _inline_html(cell)) for cell in row])
                                      for row in block.rows]))))
    return fragment(out)


# --- Markdown ---------------------------------------------------------------------------------------

def _inline_md(part, inert) -> str:
    if isinstance(part, (list, tuple)):
        return "".join(_inline_md(each, inert) for each in part)
    if isinstance(part, Link):   # a link within the page means nothing in a file: its text alone
        text = _inline_md(part.text, inert)
        return text if part.href.startswith("#") else f"{text} <{part.href}>"
    if isinstance(part, Fill):
        return f"**{inert('[' + part.label + ']')}**"
    if isinstance(part, (Strong, Badge)):
        text = _inline_md(part.text, inert)
        core = text.rstrip()      # "**label :** value": no space may close the emphasis
        return f"**{core}**{text[len(core):]}" if core else text
    return inert(str(part)) if part is not None and part is not False else ""


def to_markdown(blocks: list, inert) -> list[str]:
    """The blocks as Markdown lines; `inert` escapes text (frame.markdown_inert)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * max(block.level - 1, 2)} {_inline_md(block.text, inert)}", ""]
        elif isinstance(block, Para):
            lines += [_inline_md(block.text, inert), ""]
        elif isinstance(block, Items):
            lines += [f"- {_inline_md(item, inert)}" for item in block.items] + [""]
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(_inline_md(cell, inert) for cell in block.head) + " |")
            lines.append("|" + "---|" * len(block.head))
            lines += ["| " + " | ".join(_inline_md(cell, inert) for cell in row) + " |"
                      for row in block.rows]
            lines.append("")
    return lines
