"""A tiny HTML builder for the widgets' markup, used at build time (Sphinx) and in the browser.

Every text and attribute value is escaped here, so user text (notes, imported files) is always inert.
Markup that is already HTML is passed as `Markup`, produced only by this module.
"""

from __future__ import annotations

from html import escape

VOID = {"input", "br", "img", "meta", "link", "hr", "source"}


class Markup(str):
    """A string of HTML built by this module: safe to insert as it is."""


def render(child) -> str:
    if child is None or child is False:
        return ""
    if isinstance(child, Markup):
        return child
    if isinstance(child, (list, tuple)):
        return "".join(render(item) for item in child)
    return escape(str(child), quote=False)


def element(tag: str, attrs: dict | None = None, *children) -> Markup:
    """<tag attrs>children</tag>; attributes with value None or False are left out, True is bare."""
    parts = [tag]
    for name, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{escape(str(value), quote=True)}"')
    opening = "<" + " ".join(parts) + ">"
    if tag in VOID:
        return Markup(opening)
    return Markup(opening + render(list(children)) + f"</{tag}>")


def fragment(*children) -> Markup:
    return Markup(render(list(children)))
