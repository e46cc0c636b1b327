"""Widget directives: each renders, through the pure core, the complete static HTML of a widget in the
page's language, and marks the page so that it (and only it) loads the widget module."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from markupsafe import Markup

from aigov_widgets.core.law import data
from aigov_widgets.core.ui.texts import widget_text
from aigov_widgets.core.tools import REGISTRY, ToolSpec

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
DATA_DIR = STATIC_DIR.parent / "data"
MODULE = "aigov.mjs"
WORKER = "aigov-worker.mjs"


def _versioned(name: str) -> str:
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:8]
    return f"_static/{name}?v={digest}"


def runtime_attributes(app: Sphinx) -> dict[str, str]:
    """Where the widget finds the runtime, relative to the language's content root."""
    runtime = app.config.aigov_runtime or {}
    if not {"pyodide", "wheel"} <= set(runtime):
        raise ExtensionError("aigov: `aigov_runtime` is not set; build with tools/build_book.py")
    return {"pyodide": f"../{runtime['pyodide']}", "wheel": f"../{runtime['wheel']}", "worker": _versioned(WORKER)}


class ToolDirective(SphinxDirective):
    """A tool of the registry: its complete static HTML from the core, the page marked as a tool page."""

    spec: ToolSpec

    def run(self) -> list[nodes.Node]:
        spec = self.spec
        runtime = runtime_attributes(self.env.app)
        lang = self.config.language
        data_files = list(spec.data)
        try:
            if spec.argument:
                data_files.append(f"{spec.kind}_{self.arguments[0]}.toml")
                html = spec.load().render_static(self.arguments[0], lang, runtime)
            elif spec.options:
                html = spec.load().render_static(lang, runtime, **self.options)
            else:
                html = spec.load().render_static(lang, runtime)
        except (data.DataError, ValueError) as error:
            raise self.error(f"{spec.directive}: {error}") from None
        _mark_widget_page(self.env, spec)
        for name in data_files:
            self.env.note_dependency(str(DATA_DIR / name))
        return [nodes.raw("", html, format="html")]


def directive_for(spec: ToolSpec) -> type[ToolDirective]:
    """The directive class of a registered tool (```{aigov-checklist} annex4```, ```{aigov-classifier}```)."""
    return type(f"{spec.kind.title()}Directive", (ToolDirective,), {
        "spec": spec, "required_arguments": 1 if spec.argument else 0,
        "option_spec": {name: directives.unchanged for name in spec.options},
        "__doc__": f"```{{{spec.directive}}}``` (registered in core/tools: {spec.module})"})


def _widget_pages(env) -> dict[str, set[str]]:
    """{document: the tool kinds it holds} for this build (kept in the environment, so incremental and
    parallel builds know them too)."""
    if not hasattr(env, "aigov_widget_pages"):
        env.aigov_widget_pages = {}
    return env.aigov_widget_pages


def _mark_widget_page(env, spec: ToolSpec) -> None:
    _widget_pages(env).setdefault(env.docname, set()).add(spec.kind)


def _purge(app, env, docname) -> None:
    _widget_pages(env).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    _widget_pages(env).update({doc: kinds for doc, kinds in _widget_pages(other).items() if doc in docnames})


def running_result_aside(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """On a page with a guided tool the column beside the article holds the tool's running result (the page
    script moves it there on wide screens and back into the tool on narrow ones), in place of "On this page"."""
    kinds = _widget_pages(app.env).get(pagename, set())
    if any(REGISTRY[kind].form == "questionnaire" for kind in kinds):
        context["aigov_page_aside"] = Markup('<div class="aigov-aside" data-aigov-aside></div>')
        context["aigov_page_aside_label"] = widget_text("summary_aside", app.config.language)


def add_widget_module(app: Sphinx, pagename: str) -> None:
    """Load the widget module on pages with a widget, and only there."""
    if pagename in _widget_pages(app.env):
        app.add_js_file(MODULE, type="module")


def setup(app: Sphinx) -> None:
    # "env": the paths are written into the pages' doctrees, so a new wheel means reading them again.
    app.add_config_value("aigov_runtime", {}, "env", dict)
    for spec in REGISTRY.values():
        app.add_directive(spec.directive, directive_for(spec))
    app.connect("html-page-context", running_result_aside, priority=600)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("config-inited", lambda app, config: config.html_static_path.append(str(STATIC_DIR)))
