"""Sphinx extension of the aigov book.

It provides the `aigov` theme (private, CSP-clean, accessible), the language switcher and hreflang links
of the parallel language trees, and a CSP-safe replacement for Sphinx's translations.js. Widgets add their
directives here too. Everything the pages show comes from data (ui.toml) or from the pure core.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import sphinx
from sphinx.application import Sphinx
from sphinx.environment.adapters.toctree import document_toc
from sphinx.errors import ExtensionError

from aigov_widgets import __version__
from aigov_widgets.core.law import data
from aigov_widgets.sphinx import generated, search, ui, widgets

THEME_DIR = Path(__file__).parent / "theme" / "aigov"
LOCALE_DIR = Path(__file__).parent / "locale"
L10N_SCRIPT = "aigov-l10n.js"

# Sphinx ships each language's plural rule as a JS expression that doctools.js compiles with `new Function`,
# which `script-src` without 'unsafe-eval' forbids. These are the same rules written as code.
PLURAL_RULES = {
    "nl": "(n) => (n != 1 ? 1 : 0)",
    "fr": "(n) => ((n == 0 || n == 1) ? 0 : (n != 0 && n % 1000000 == 0) ? 1 : 2)",
}


def setup(app: Sphinx) -> dict:
    try:  # every data file is checked before anything is built from it: a broken one stops the build in one line
        data.validate_all()
    except data.DataError as error:
        raise ExtensionError(f"aigov data: {error}") from None
    app.add_config_value("aigov_site", {}, "html", dict)
    widgets.setup(app)
    generated.setup(app)
    app.setup_extension("aigov_widgets.sphinx.routes")  # the home page's routes by role and tools list
    app.setup_extension("aigov_widgets.sphinx.trainers")  # trainer's kit: printable banks, quiz exports
    search.setup(app)  # synonyms (aigov_widgets/sphinx/data/search-synonyms.<lang>.toml) into the search index
    app.add_html_theme("aigov", str(THEME_DIR))
    _fresh_sphinx_catalogue(app)
    _add_sphinx_supplement(app)
    app.add_html_math_renderer("aigov_no_math", (_refuse_math, None), (_refuse_math, None))
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_page_context)
    app.connect("build-finished", _on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


def _supplement_messages(lang: str) -> dict[str, str]:
    """Our translations of Sphinx texts that Sphinx's own catalogue for `lang` leaves empty."""
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / lang / "LC_MESSAGES" / "sphinx.po"
    if not po.is_file():
        return {}
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {message.id: message.string for message in catalog if message.id and message.string}


def _fresh_sphinx_catalogue(app: Sphinx) -> None:
    """Load Sphinx's own catalogue again, for this build's language only.

    sphinx.locale keeps its translators in a module-level dict and `locale.init` merges into the one it
    finds there. When one process builds several languages (tools/build_book.py's process pool builds
    two of the three in one worker), the second build kept the first one's catalogue: English and French
    pages got the Dutch "Link naar deze kop" on every heading permalink. Dropping the stale translator and
    loading it again makes each build use its own language's texts, whatever built before it.
    """
    from sphinx import locale

    locale.translators.pop(("general", "sphinx"), None)
    app._init_i18n()  # Sphinx's own loader: the project's locale_dirs, then Sphinx's catalogue


def _add_sphinx_supplement(app: Sphinx) -> None:
    """Compile our supplement to Sphinx's catalogue and register it (it only fills gaps)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    lang = app.config.language
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "sphinx.po"
    if not po.is_file():
        return
    compiled = Path(app.doctreedir) / "aigov-locale"
    mo = compiled / lang / "LC_MESSAGES" / "sphinx.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with po.open("rb") as source, mo.open("wb") as target:
        write_mo(target, read_po(source, locale=lang))
    app.add_message_catalog("sphinx", str(compiled))


def _refuse_math(translator, node) -> None:
    """Math would need MathJax (third-party script, inline styles): write it as text instead."""
    raise ExtensionError(
        f"aigov: math in {translator.builder.current_docname!r} is not supported under the site's "
        "Content-Security-Policy; write the formula in words or as an image file"
    )


def _on_builder_inited(app: Sphinx) -> None:
    lang = app.config.language
    if lang not in ui.languages():
        raise ExtensionError(f"aigov: language {lang!r} is not one of {ui.languages()}")
    if lang in PLURAL_RULES:
        app.add_js_file(L10N_SCRIPT)


def _on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give the templates what they need: texts, languages, site values, the page's own contents."""
    widgets.add_widget_module(app, pagename)
    _refuse_inline_scripts(pagename, context)
    lang = app.config.language
    site = dict(app.config.aigov_site or {})
    base_url = (site.get("base_url") or "").rstrip("/")
    root = context.get("content_root", "")
    suffix = context.get("file_suffix", ".html")
    switcher = []
    for code, name in ui.language_names().items():
        relative = posixpath.normpath(f"{root}../{code}/{pagename}{suffix}")
        absolute = f"{base_url}/{code}/{pagename}{suffix}" if base_url else ""
        switcher.append(
            {"code": code, "name": name, "href": absolute or relative, "current": code == lang}
        )
    context["aigov"] = {
        "lang": lang,
        "ui": ui.strings(lang),
        "languages": switcher,
        "site": site,
        "page_toc": _page_toc(app, pagename),
        "home": posixpath.normpath(f"{root}{app.config.root_doc}{suffix}"),
        "long_page": _is_long(context.get("body", "")),
    }
    context.setdefault("aigov_page_aside", "")  # the hook for a tool's running result (layout.html)
    context["toctree"] = _marked_toctree(context["toctree"])
    # The page's own script list, without Sphinx's translations.js (replaced by aigov-l10n.js).
    context["script_files"] = [
        js for js in context.get("script_files", []) if not str(js.filename).endswith("translations.js")
    ]


LONG_PAGE_CHARS = 5000  # about three phone screens of text: beyond that, a "back to top" link


def _is_long(body: str) -> bool:
    return len(re.sub(r"<[^>]+>", "", body)) > LONG_PAGE_CHARS


def _refuse_inline_scripts(pagename: str, context: dict) -> None:
    """Fail the build when an extension adds an inline script: the site's CSP would block it."""
    for js in context.get("script_files", []):
        if not js.filename:
            raise ExtensionError(
                f"aigov: an inline script was added to {pagename!r} (body starts "
                f"{js.attributes.get('body', '')[:60]!r}); ship it as a file or a data attribute"
            )


def _page_toc(app: Sphinx, pagename: str) -> str:
    """The page's sections as a nested list, without the page title itself."""
    if pagename not in app.env.tocs:
        return ""
    toc = document_toc(app.env, pagename, app.builder.tags)
    nested = toc.next_node(lambda node: node.tagname == "bullet_list" and node is not toc)
    if nested is None:
        return ""
    html = app.builder.render_partial(nested)["fragment"]
    return html if "<li" in html else ""  # the root page holds only the (hidden) book toctree


_CURRENT_LINK = re.compile(r'<a class="current reference internal" href="#">')
_CAPTION = re.compile(r'<p class="caption" role="heading"><span class="caption-text">(.*?)</span></p>')


def _marked_toctree(toctree):
    """Wrap Sphinx's toctree(): mark the current page with aria-current, fold each part (see _fold_parts)."""

    def render(*args, **kwargs) -> str:
        html = toctree(*args, **kwargs)
        html = _CURRENT_LINK.sub('<a class="current reference internal" href="#" aria-current="page">', html)
        return _fold_parts(_CAPTION.sub(r'<h2 class="caption">\1</h2>', html))

    return render


_PART = re.compile(r'<h2 class="caption">(.*?)</h2>\s*(<ul[^>]*>.*?</ul>)', re.DOTALL)


def _fold_parts(html: str) -> str:
    """Each part of the contents as a <details>: its caption is the <summary> (a heading inside it, which
    HTML allows), its pages the body. The part that holds the current page is open, the others folded;
    on the home page (no current part) every part is open. Folding needs no script."""
    parts = list(_PART.finditer(html))
    if not parts or any(part.group(2).count("<ul") != 1 for part in parts):
        return html  # not the flat list of parts we know (nested lists): leave it as Sphinx wrote it
    any_current = any('aria-current="page"' in part.group(2) for part in parts)

    def fold(match: re.Match) -> str:
        is_open = not any_current or 'aria-current="page"' in match.group(2)
        return (
            f'<details class="nav-part"{" open" if is_open else ""}>'
            f'<summary><h2 class="caption">{match.group(1)}</h2></summary>\n{match.group(2)}</details>'
        )

    return _PART.sub(fold, html)


def _on_build_finished(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        _write_l10n_script(app)


def _write_l10n_script(app: Sphinx) -> None:
    """Write Sphinx's interface translations as a script that needs no eval."""
    lang = app.config.language
    if lang not in PLURAL_RULES:
        return
    catalog_js = Path(sphinx.__file__).parent / "locale" / lang / "LC_MESSAGES" / "sphinx.js"
    text = catalog_js.read_text(encoding="utf-8")
    catalog = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    for msgid, msgstr in _supplement_messages(lang).items():
        if not catalog["messages"].get(msgid):
            catalog["messages"][msgid] = msgstr
    script = (
        "// Sphinx's interface texts for this language. Generated by aigov_widgets: the plural rule is code,\n"
        "// not an expression compiled at run time, so the page needs no 'unsafe-eval'.\n"
        '"use strict";\n'
        f"Object.assign(Documentation.TRANSLATIONS, {json.dumps(catalog['messages'], ensure_ascii=False)});\n"
        f"Documentation.LOCALE = {json.dumps(catalog['locale'])};\n"
        f"Documentation.PLURAL_EXPR = {PLURAL_RULES[lang]};\n"
    )
    (Path(app.outdir) / "_static" / L10N_SCRIPT).write_text(script, encoding="utf-8")
