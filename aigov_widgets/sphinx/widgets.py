"""Widget directives: each renders, through the pure core, the complete static HTML of a widget in the
page's language, and marks the page so that it (and only it) loads the widget module."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from aigov_widgets.core.tools import checklist, classifier, obligations, roles

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


class WidgetDirective(SphinxDirective):
    """Base of the widget directives: static HTML from the core, and the page marked as a widget page."""

    data_files: tuple[str, ...] = ("widget_ui.toml", "provisions.toml", "laws.toml")

    def render(self, lang: str, runtime: dict[str, str]) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        html = self.render(self.config.language, runtime_attributes(self.env.app))
        _mark_widget_page(self.env)
        for data in self.data_files:
            self.env.note_dependency(str(DATA_DIR / data))
        return [nodes.raw("", html, format="html")]


class ChecklistDirective(WidgetDirective):
    """```{aigov-checklist} annex4``` — a checklist from data/checklist_<id>.toml."""

    required_arguments = 1

    def render(self, lang, runtime):
        checklist_id = self.arguments[0]
        self.data_files += (f"checklist_{checklist_id}.toml",)
        try:
            return checklist.render_static(checklist_id, lang, runtime)
        except FileNotFoundError:
            raise self.error(f"unknown checklist {checklist_id!r} (no data/checklist_{checklist_id}.toml)")


class ClassifierDirective(WidgetDirective):
    """```{aigov-classifier}``` — the risk classifier (data/classifier.toml and the rules engine)."""

    data_files = WidgetDirective.data_files + ("classifier.toml",)

    def render(self, lang, runtime):
        return classifier.render_static(lang, runtime)


class RoleFinderDirective(WidgetDirective):
    """```{aigov-role-finder}``` — the role finder (data/roles.toml)."""

    data_files = WidgetDirective.data_files + ("roles.toml",)

    def render(self, lang, runtime):
        return roles.render_static(lang, runtime)


class ObligationsDirective(WidgetDirective):
    """```{aigov-obligations}``` — what applies to a role on a date."""

    def render(self, lang, runtime):
        return obligations.render_static(lang, runtime)


def _widget_pages(env) -> set[str]:
    """The documents of this build that hold a widget (kept in the environment, so incremental and
    parallel builds know them too)."""
    if not hasattr(env, "aigov_widget_pages"):
        env.aigov_widget_pages = set()
    return env.aigov_widget_pages


def _mark_widget_page(env) -> None:
    _widget_pages(env).add(env.docname)


def _purge(app, env, docname) -> None:
    _widget_pages(env).discard(docname)


def _merge(app, env, docnames, other) -> None:
    _widget_pages(env).update(_widget_pages(other) & set(docnames))


def add_widget_module(app: Sphinx, pagename: str) -> None:
    """Load the widget module on pages with a widget, and only there."""
    if pagename in _widget_pages(app.env):
        app.add_js_file(MODULE, type="module")


def setup(app: Sphinx) -> None:
    # "env": the paths are written into the pages' doctrees, so a new wheel means reading them again.
    app.add_config_value("aigov_runtime", {}, "env", dict)
    app.add_directive("aigov-checklist", ChecklistDirective)
    app.add_directive("aigov-classifier", ClassifierDirective)
    app.add_directive("aigov-role-finder", RoleFinderDirective)
    app.add_directive("aigov-obligations", ObligationsDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("config-inited", lambda app, config: config.html_static_path.append(str(STATIC_DIR)))
